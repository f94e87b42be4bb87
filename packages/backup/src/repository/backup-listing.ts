// `tidemark backups`: a repository's finished backups, each with the WAL coverage that makes it
// recoverable to a later point, and its unfinished ones apart.
import type { RepositoryIdentity, WalRepository } from '@tidemark/wal'
import type { BackupRecord } from '../catalog/backup-record.js'
import { readArchivedWal } from './archived-wal.js'
import type { BackupRepository } from './backup-repository.js'
import type { UnfinishedBackup } from './expire-plan.js'
import { readUnfinishedBackups } from './unfinished-backups.js'
import { backupWalCoverage, type BackupWalCoverage } from './wal-coverage.js'

export interface ListedBackup {
  readonly record: BackupRecord
  /** On the latest timeline recovery from it can follow. */
  readonly wal: BackupWalCoverage
}

export interface BackupListing {
  readonly location: string
  /** The WAL's identity; undefined while nothing was archived. */
  readonly walIdentity: RepositoryIdentity | undefined
  readonly segmentSize: number
  /** Oldest first. */
  readonly backups: readonly ListedBackup[]
  readonly unfinished: readonly UnfinishedBackup[]
}

export async function listBackups(backups: BackupRepository, wal: WalRepository): Promise<BackupListing> {
  const archived = await readArchivedWal(wal)
  const records = await backups.list()
  return {
    location: backups.url,
    walIdentity: archived.identity,
    segmentSize: archived.segmentSize,
    backups: records.map((record) => ({ record, wal: backupWalCoverage(record, archived) })),
    unfinished: await readUnfinishedBackups(backups),
  }
}
