// One entry point: a directory path (or file://) gives the directory driver, s3://bucket/prefix the S3 driver.
import { StorageUsageError } from './errors.js'
import { PosixStorage } from './posix-storage.js'
import type { Storage } from './storage.js'
import { parseStorageUrl } from './storage-url.js'

export interface OpenStorageOptions {
  /** Resolves relative directory paths (default: the process's cwd). */
  readonly cwd?: string
}

/** The driver for a directory path or an s3:// URL. */
export async function openStorage(url: string, options: OpenStorageOptions = {}): Promise<Storage> {
  const location = parseStorageUrl(url, options.cwd)
  if (location.kind === 'posix') {
    return new PosixStorage(location.path)
  }
  throw new StorageUsageError(`${url}: the S3 driver is not available yet`)
}
