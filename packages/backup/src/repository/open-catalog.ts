// Both halves of one repository location (--repo DIR|s3://bucket/prefix, or TIDEMARK_REPO): its
// backups (backups/) and its WAL (wal/), opened with the same S3 flags, for backups and expire.
import { stat } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { isHttpLocation, isS3Location } from '@tidemark/storage'
import { openWalRepository, StorageWalRepository, type WalRepository } from '@tidemark/wal'
import { BackupSourceError } from '../errors.js'
import { openBackupRepository, type RepositoryFlags } from '../repository-open.js'
import type { BackupRepository } from './backup-repository.js'

export interface OpenedCatalog {
  /** The location as given, for messages. */
  readonly location: string
  readonly backups: BackupRepository
  readonly wal: WalRepository
  /** Releases the storage of both halves. */
  close(): Promise<void>
}

/** Opens an existing repository (a directory that is not there is BackupSourceError: a typo lists nothing). */
export async function openRepositoryCatalog(
  flag: string | undefined,
  flags: RepositoryFlags = {},
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd()
): Promise<OpenedCatalog> {
  const { location, repository } = await openBackupRepository(flag, flags, env, cwd)
  if (isHttpLocation(location)) {
    // An agent's repository: its WAL through the same object routes (the layout is one), so expire
    // can remove what no kept backup needs; tidemark-wal push/get keep the agent's WAL routes.
    const wal = new StorageWalRepository(repository.storage)
    return { location, backups: repository, wal, close: async () => repository.storage.close() }
  }
  const walLocation = isS3Location(location) || isAbsolute(location) ? location : resolve(cwd, location)
  if (!isS3Location(location)) {
    const found = await stat(walLocation).catch(() => undefined)
    if (!found?.isDirectory()) {
      await repository.storage.close()
      throw new BackupSourceError(`the repository ${walLocation} does not exist or is not a directory`)
    }
  }
  const wal = openWalRepository(walLocation, env, { s3: flags })
  return {
    location,
    backups: repository,
    wal,
    close: async () => {
      await Promise.allSettled([repository.storage.close(), wal.close?.()])
    },
  }
}
