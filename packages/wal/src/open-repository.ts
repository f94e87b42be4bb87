// Chooses the repository implementation for a --repo / TIDEMARK_REPO location: a directory,
// s3://bucket/prefix (object storage, opened lazily), or http(s)://host:port of a tidemark-agent
// (with a bearer token).
// The small token module only: tidemark-wal's bundle loads the rest of @tidemark/storage through import().
import { agentToken as readAgentToken } from '@tidemark/storage/http-config'
import { DirectoryWalRepository } from './directory-repository.js'
import { WalUsageError } from './errors.js'
import { HttpWalRepository } from './http-repository.js'
import { LazyStorageWalRepository, type WalS3Flags } from './storage-repository-open.js'
import type { WalRepository } from './wal-repository.js'

/** The environment variable that names the repository when --repo is not given. */
export const REPO_ENV = 'TIDEMARK_REPO'
/** The bearer token for an http(s) repository. */
export const TOKEN_ENV = 'TIDEMARK_TOKEN'
/** A file holding the token (its first line), when --token-file is not given. */
export const TOKEN_FILE_ENV = 'TIDEMARK_TOKEN_FILE'
/** Seconds one HTTP attempt may take (default 20), and the attempts after a failed one (default 2). */
export const HTTP_TIMEOUT_ENV = 'TIDEMARK_HTTP_TIMEOUT'
export const HTTP_RETRIES_ENV = 'TIDEMARK_HTTP_RETRIES'
const DEFAULT_HTTP_TIMEOUT_SECONDS = 20
const DEFAULT_HTTP_RETRIES = 2

export interface OpenRepositoryOptions {
  /** --token-file: the token for an http(s) repository is its first non-comment line. */
  readonly tokenFile?: string | undefined
  /** --s3-endpoint, --s3-region, --s3-profile, --s3-path-style for an s3:// repository (over the AWS environment). */
  readonly s3?: WalS3Flags
}

/** Opens the repository at location: a directory path, s3://bucket/prefix, or http(s)://host:port of a tidemark-agent. */
export function openWalRepository(
  location: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  options: OpenRepositoryOptions = {}
): WalRepository {
  const where = location?.trim() || env[REPO_ENV]?.trim()
  if (!where) {
    throw new WalUsageError(`no repository: give --repo DIR|s3://bucket/prefix or set ${REPO_ENV}`)
  }
  if (/^https?:\/\//i.test(where)) {
    return new HttpWalRepository(where, {
      token: agentToken(options.tokenFile, env),
      timeoutMs: 1000 * envInteger(env, HTTP_TIMEOUT_ENV, DEFAULT_HTTP_TIMEOUT_SECONDS, 1, 3600),
      retries: envInteger(env, HTTP_RETRIES_ENV, DEFAULT_HTTP_RETRIES, 0, 10),
    })
  }
  if (/^s3:\/\//i.test(where)) {
    return new LazyStorageWalRepository(where, options.s3 ?? {}, env)
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(where)) {
    throw new WalUsageError(`repository "${where}": only directories, s3://bucket/prefix and http(s)://host:port of a tidemark-agent are supported`)
  }
  return new DirectoryWalRepository(where)
}

/** The token as every command reads it (@tidemark/storage's agentToken), as this package's usage error. */
function agentToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv): string {
  try {
    return readAgentToken(tokenFile, env)
  } catch (error) {
    throw new WalUsageError((error as Error).message, { cause: error })
  }
}

function envInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim()
  if (!text) {
    return fallback
  }
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new WalUsageError(`${name}="${text.slice(0, 20)}": expected a whole number from ${min} to ${max}`)
  }
  return value
}
