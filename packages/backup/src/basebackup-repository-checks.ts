// basebackup --repo: a repository holds one database system's WAL and backups. When its WAL is bound
// already (tidemark-wal.json), a backup of another system is refused before anything is stored.
import { IDENTITY_FILE } from '@tidemark/wal'
import { BackupRepositoryMismatchError } from './errors.js'
import type { BackupRepository } from './repository/backup-repository.js'
import { readAll } from './server-archive.js'

/** The system identifier the repository's WAL is bound to, or undefined when it holds no WAL yet. */
export async function repositorySystemIdentifier(repository: BackupRepository): Promise<string | undefined> {
  if (!(await repository.storage.head(IDENTITY_FILE))) {
    return undefined
  }
  const text = (await readAll(await repository.storage.get(IDENTITY_FILE))).toString('utf8')
  try {
    const value = (JSON.parse(text) as { systemIdentifier?: unknown }).systemIdentifier
    return typeof value === 'string' ? value : undefined
  } catch {
    // An unreadable identity is the WAL tools' to report; the backup's own record names its system.
    return undefined
  }
}

/** Refuses (BackupRepositoryMismatchError) a backup of `systemIdentifier` into a repository bound to another system. */
export async function checkRepositorySystem(repository: BackupRepository, systemIdentifier: string): Promise<void> {
  const bound = await repositorySystemIdentifier(repository)
  if (bound !== undefined && bound !== systemIdentifier) {
    throw new BackupRepositoryMismatchError(
      `the repository ${repository.url} holds WAL of database system ${bound}, and this server is system ${systemIdentifier}: use a repository of its own; nothing was stored`
    )
  }
}
