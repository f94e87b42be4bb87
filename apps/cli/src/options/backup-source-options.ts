import { resolve } from 'node:path'
import type { BackupSource } from '@tidemark/backup'
import { CliUsageError } from '../errors.js'
import { repositoryFlags, type RepositoryOptionValues } from './repository-options.js'

/** A backup to read and what to release afterwards (the repository's sockets and handles). */
export interface OpenedBackupSource {
  readonly source: BackupSource
  close(): Promise<void>
}

/**
 * The backup of `--repo REPO --backup ID` (a repository's backup, read as streams), or a path
 * (a backup directory or one archive), resolved against cwd. `named` is the backup as given, by
 * --backup or the command's argument.
 */
export async function openBackupSource(
  values: RepositoryOptionValues,
  named: string | undefined,
  cwd: string,
  env: NodeJS.ProcessEnv
): Promise<OpenedBackupSource> {
  if (named === undefined || named.trim() === '') {
    throw new CliUsageError(values.repo === undefined ? 'no backup: give its directory or archive' : 'no backup: give --backup ID (tidemark backups --repo lists them)')
  }
  if (values.repo === undefined) {
    return { source: resolve(cwd, named), close: async () => undefined }
  }
  const { checkBackupId, openBackupRepository } = await import('@tidemark/backup')
  const id = checkBackupId(named.trim())
  const { repository } = await openBackupRepository(values.repo, repositoryFlags(values), env, cwd)
  return { source: { repository, id }, close: () => repository.storage.close() }
}
