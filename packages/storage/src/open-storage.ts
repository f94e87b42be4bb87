// One entry point: a directory path (or file://) gives the directory driver, s3://bucket/prefix the S3 driver.
import { PosixStorage } from './posix-storage.js'
import type { S3StorageOptions } from './s3-config.js'
import type { Storage } from './storage.js'
import { parseStorageUrl } from './storage-url.js'

export interface OpenStorageOptions {
  /** Resolves relative directory paths (default: the process's cwd). */
  readonly cwd?: string
  /** Settings of the S3 driver (endpoint, region, credentials, path style, part size, deadlines…). */
  readonly s3?: S3StorageOptions
}

/** The driver for a directory path or an s3:// URL. */
export async function openStorage(url: string, options: OpenStorageOptions = {}): Promise<Storage> {
  const location = parseStorageUrl(url, options.cwd)
  if (location.kind === 'posix') {
    return new PosixStorage(location.path)
  }
  // Loaded on demand: the AWS SDK is large and most runs never need it.
  const { S3Storage } = await import('./s3-storage.js')
  return new S3Storage(location.bucket, location.prefix, options.s3)
}
