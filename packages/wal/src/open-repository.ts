// Chooses the repository implementation for a --repo / TIDEMARK_REPO location: a directory,
// s3://bucket/prefix (object storage, opened lazily), or http(s)://host:port of a tidemark-agent
// (with a bearer token).
// The small token module only: tidemark-wal's bundle loads the rest of @tidemark/storage through import().
import { agentToken, httpEnvSettings } from '@tidemark/storage/http-config'
import { DirectoryWalRepository } from './directory-repository.js'
import { WalUsageError } from './errors.js'
import { HttpWalRepository } from './http-repository.js'
import { LazyStorageWalRepository, type WalS3Flags } from './storage-repository-open.js'
import type { WalRepository } from './wal-repository.js'

/** The environment variable that names the repository when --repo is not given. */
export const REPO_ENV = 'TIDEMARK_REPO'
/** The agent's bearer token, and the file holding it, when --token-file is not given (read by @tidemark/storage). */
export { TOKEN_ENV, TOKEN_FILE_ENV } from '@tidemark/storage/http-config'
/** Seconds one HTTP attempt may take (default 20), and the attempts after a failed one (default 2). */
export { HTTP_TIMEOUT_ENV, HTTP_RETRIES_ENV } from '@tidemark/storage/http-config'
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
    const { timeoutSeconds, retries } = asWalUsage(() => httpEnvSettings(env))
    return new HttpWalRepository(where, {
      token: asWalUsage(() => agentToken(options.tokenFile, env)),
      timeoutMs: 1000 * (timeoutSeconds ?? DEFAULT_HTTP_TIMEOUT_SECONDS),
      retries: retries ?? DEFAULT_HTTP_RETRIES,
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

/** @tidemark/storage's usage errors (token, HTTP settings) as this package's, so the exit status is tidemark-wal's. */
function asWalUsage<T>(read: () => T): T {
  try {
    return read()
  } catch (error) {
    throw new WalUsageError((error as Error).message, { cause: error })
  }
}
