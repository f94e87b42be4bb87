// Both halves of one repository location (--repo DIR|s3://…|http(s)://…, or TIDEMARK_REPO): its
// backups (backups/) and its WAL (wal/), for backups and expire.
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
  if (isHttpLocation(location) || isS3Location(location)) {
    // The WAL half on the storage already open (the layout is one): one client, not two. For an
    // agent this is its object routes, so expire can remove what no kept backup needs.
    const wal = new StorageWalRepository(repository.storage)
    return { location, backups: repository, wal, close: async () => repository.storage.close() }
  }
  const walLocation = isAbsolute(location) ? location : resolve(cwd, location)
  const found = await stat(walLocation).catch(() => undefined)
  if (!found?.isDirectory()) {
    await repository.storage.close()
    throw new BackupSourceError(`the repository ${walLocation} does not exist or is not a directory`)
  }
  // A directory's WAL through DirectoryWalRepository, the path tidemark-wal itself takes.
  const wal = openWalRepository(walLocation, env)
  return {
    location,
    backups: repository,
    wal,
    close: async () => {
      await Promise.allSettled([repository.storage.close(), wal.close?.()])
    },
  }
}
