// `tidemark backups`: a repository's finished backups, each with the WAL coverage that makes it
// recoverable to a later point, and its unfinished ones apart.
import type { RepositoryIdentity, WalRepository } from '@tidemark/wal'
import type { BackupRecord } from '../catalog/backup-record.js'
import { readArchivedWal, type ArchivedWal } from './archived-wal.js'
import type { BackupRepository } from './backup-repository.js'
import type { UnfinishedBackup } from './expire-plan.js'
import { readUnfinishedBackups } from './unfinished-backups.js'
import { backupWalCoverage, type BackupWalCoverage } from './wal-coverage.js'

export interface ListedBackup {
  readonly record: BackupRecord
  /** On the latest timeline recovery from it can follow. */
  readonly wal: BackupWalCoverage
  /** Set when the repository's WAL is another database system's: none of it serves this backup. */
  readonly walSystemIdentifier?: string | undefined
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

function listed(record: BackupRecord, archived: ArchivedWal): ListedBackup {
  const other = archived.identity && archived.identity.systemIdentifier !== record.systemIdentifier
  if (!other) {
    return { record, wal: backupWalCoverage(record, archived) }
  }
  // Same names, other system: count nothing as archived for this backup.
  const wal = backupWalCoverage(record, { ...archived, names: [], histories: new Map() })
  return { record, wal, walSystemIdentifier: archived.identity?.systemIdentifier }
}

export async function listBackups(backups: BackupRepository, wal: WalRepository): Promise<BackupListing> {
  const archived = await readArchivedWal(wal)
  const records = await backups.list()
  return {
    location: backups.url,
    walIdentity: archived.identity,
    segmentSize: archived.segmentSize,
    backups: records.map((record) => listed(record, archived)),
    unfinished: await readUnfinishedBackups(backups),
  }
}
