// The entry of dist/tidemark-storage.js: what @tidemark/wal imports lazily for an s3:// repository.
// build.mjs keeps it (and the S3 SDK it pulls in) out of dist/main.js, so a push or get on a
// directory repository starts without reading or compiling the SDK.
export { openStorage, s3OptionsFromFlags } from '@tidemark/storage'
