// One entry point: a directory path (or file://) gives the directory driver, s3://bucket/prefix the S3
// driver, http(s)://host:port the storage of a tidemark-agent.
import { StorageUsageError } from './errors.js'
import { isHttpLocation, type HttpStorageOptions } from './http-config.js'
import { PosixStorage } from './posix-storage.js'
import type { S3StorageOptions } from './s3-config.js'
import type { Storage } from './storage.js'
import { parseStorageUrl } from './storage-url.js'

export interface OpenStorageOptions {
  /** Resolves relative directory paths (default: the process's cwd). */
  readonly cwd?: string
  /** Settings of the S3 driver (endpoint, region, credentials, path style, part size, deadlines…). */
  readonly s3?: S3StorageOptions
  /** Settings of the agent driver (its token above all) for an http(s):// location. */
  readonly http?: HttpStorageOptions
}

/** The driver for a directory path, an s3:// URL or an agent's http(s):// URL. */
export async function openStorage(url: string, options: OpenStorageOptions = {}): Promise<Storage> {
  if (isHttpLocation(url)) {
    if (!options.http) {
      throw new StorageUsageError(`${url}: an agent's repository needs its token (--token-file, TIDEMARK_TOKEN_FILE or TIDEMARK_TOKEN)`)
    }
    // Loaded on demand too: only agent repositories need the HTTP client.
    const { HttpStorage } = await import('./http-storage.js')
    return new HttpStorage(url, options.http)
  }
  const location = parseStorageUrl(url, options.cwd)
  if (location.kind === 'posix') {
    return new PosixStorage(location.path)
  }
  // Loaded on demand: the AWS SDK is large and most runs never need it.
  const { S3Storage } = await import('./s3-storage.js')
  return new S3Storage(location.bucket, location.prefix, options.s3)
}
