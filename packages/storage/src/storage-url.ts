// Storage locations: a directory path (absolute, relative or file://) or s3://bucket[/prefix].
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { StorageUsageError } from './errors.js'

export type StorageLocation =
  | { readonly kind: 'posix'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string }

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/

/** Parses a storage URL; relative paths resolve against cwd. */
export function parseStorageUrl(url: string, cwd: string = process.cwd()): StorageLocation {
  if (url.length === 0) {
    throw new StorageUsageError('empty storage location: give a directory or s3://bucket/prefix')
  }
  if (url.startsWith('file://')) {
    return { kind: 'posix', path: fileURLToPath(url) }
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url)
  if (!scheme) {
    return { kind: 'posix', path: resolve(cwd, url) }
  }
  if (scheme[1]?.toLowerCase() !== 's3') {
    throw new StorageUsageError(`unsupported storage URL scheme ${scheme[1]}:// (use a directory or s3://bucket/prefix)`)
  }
  const rest = url.slice(scheme[0].length)
  if (/[?#@]/.test(rest)) {
    throw new StorageUsageError(`an s3:// URL takes no query, fragment or credentials: ${url.replace(/\/\/[^/]*@/, '//…@')}`)
  }
  const slash = rest.indexOf('/')
  const bucket = slash < 0 ? rest : rest.slice(0, slash)
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    throw new StorageUsageError(`invalid S3 bucket name ${JSON.stringify(bucket)} in ${url}`)
  }
  const prefix = (slash < 0 ? '' : rest.slice(slash + 1)).replace(/\/+$/, '')
  if (prefix !== '' && prefix.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new StorageUsageError(`invalid prefix ${JSON.stringify(prefix)} in ${url}: empty, . or .. segment`)
  }
  return { kind: 's3', bucket, prefix }
}

/** The URL of a location, as a driver reports it. */
export function formatStorageUrl(location: StorageLocation): string {
  return location.kind === 'posix' ? location.path : `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`
}
