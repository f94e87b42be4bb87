// Keys are relative, '/'-separated names. The same rules for every driver keep a repository portable
// between a directory and a bucket and keep a key from escaping a directory.
import { StorageUsageError } from './errors.js'

const MAX_KEY_BYTES = 1024

/** Names starting with this are the drivers' own (temporary files, create-only claims): never keys, never listed. */
export const RESERVED_PREFIX: string = '.tidemark-'

/** Throws StorageUsageError unless key is a usable object key; returns it. */
export function checkKey(key: string): string {
  const problem = keyProblem(key)
  if (problem) {
    throw new StorageUsageError(`invalid storage key ${JSON.stringify(key)}: ${problem}`)
  }
  return key
}

function keyProblem(key: string): string | undefined {
  if (key.length === 0) {
    return 'empty'
  }
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    return `longer than ${MAX_KEY_BYTES} bytes`
  }
  if (key.includes('\0')) {
    return 'contains NUL'
  }
  if (key.startsWith('/') || key.endsWith('/')) {
    return 'starts or ends with /'
  }
  for (const part of key.split('/')) {
    if (part === '' || part === '.' || part === '..') {
      return 'has an empty, . or .. segment'
    }
    if (part.startsWith(RESERVED_PREFIX)) {
      return `a segment starts with ${RESERVED_PREFIX} (reserved for temporary files and claims)`
    }
  }
  return undefined
}

/** A list prefix: '' (everything) or a key prefix, which may end with '/'. */
export function checkPrefix(prefix: string): string {
  if (prefix === '') {
    return prefix
  }
  checkKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix)
  return prefix
}
