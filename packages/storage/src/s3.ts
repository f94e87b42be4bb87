// The S3 driver on its own entry point: importing it loads the AWS SDK (see index.ts).
export { S3Storage } from './s3-storage.js'
