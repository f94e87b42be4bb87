// Chooses the repository implementation for a --repo / TIDEMARK_REPO location.
import { DirectoryWalRepository } from './directory-repository.js'
import { WalUsageError } from './errors.js'
import type { WalRepository } from './wal-repository.js'

/** The environment variable that names the repository when --repo is not given. */
export const REPO_ENV = 'TIDEMARK_REPO'

/** Opens the repository at location (a directory path); a URL scheme is refused until its implementation exists. */
export function openWalRepository(location: string | undefined, env: NodeJS.ProcessEnv = process.env): WalRepository {
  const where = location?.trim() || env[REPO_ENV]?.trim()
  if (!where) {
    throw new WalUsageError(`no repository: give --repo DIR or set ${REPO_ENV}`)
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(where)) {
    throw new WalUsageError(`repository "${where}": only directory repositories are supported by this version`)
  }
  return new DirectoryWalRepository(where)
}
