// Path-style (http://host/bucket/key) or virtual-hosted (http://bucket.host/key) addressing.
import { isIP } from 'node:net'
import { StorageUsageError } from './errors.js'

export const PATH_STYLE_ENV: string = 'TIDEMARK_S3_PATH_STYLE'

/** Parses a yes/no setting ('true', '1', 'yes', 'on' / 'false', '0', 'no', 'off'); undefined when unset or empty. */
export function parseBooleanSetting(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined
  }
  const v = value.trim().toLowerCase()
  if (['1', 'true', 'yes', 'on'].includes(v)) {
    return true
  }
  if (['0', 'false', 'no', 'off'].includes(v)) {
    return false
  }
  throw new StorageUsageError(`${name} must be true or false, not ${JSON.stringify(value)}`)
}

/**
 * Whether to use path-style addressing: the explicit choice, else TIDEMARK_S3_PATH_STYLE, else true
 * for an endpoint that is an IP address or localhost (no DNS names for buckets there), else false.
 */
export function usePathStyle(endpoint: string | undefined, explicit?: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (explicit !== undefined) {
    return explicit
  }
  const fromEnv = parseBooleanSetting(env[PATH_STYLE_ENV], PATH_STYLE_ENV)
  if (fromEnv !== undefined) {
    return fromEnv
  }
  if (endpoint === undefined) {
    return false
  }
  let host: string
  try {
    host = new URL(endpoint).hostname
  } catch {
    throw new StorageUsageError(`invalid S3 endpoint ${JSON.stringify(endpoint)}: give a URL such as http://127.0.0.1:7480`)
  }
  const bare = host.startsWith('[') ? host.slice(1, -1) : host
  return isIP(bare) !== 0 || bare === 'localhost' || bare.endsWith('.localhost')
}
