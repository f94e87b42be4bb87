// A directory repository filled with synthetic backups and WAL files for the catalog's unit tests.
import { createHash } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PosixStorage } from '@tidemark/storage'
import { DirectoryWalRepository, formatTimelineHistory, historyFileName, type TimelineHistoryEntry } from '@tidemark/wal'
import type { BackupRecord } from '../catalog/backup-record.js'
import { BackupRepository } from '../repository/backup-repository.js'
import { SEGMENT_SIZE, SYSTEM } from './synthetic-catalog.js'

export interface SyntheticRepository {
  readonly root: string
  readonly backups: BackupRepository
  readonly wal: DirectoryWalRepository
  /** Archives files with these names (any bytes; a .history file gets the history's text). */
  archive(names: readonly string[], histories?: Readonly<Record<number, readonly TimelineHistoryEntry[]>>): Promise<void>
  /** Stores a finished backup: one data file, then its record. */
  addBackup(record: BackupRecord): Promise<void>
}

export async function syntheticRepository(systemIdentifier: string = SYSTEM): Promise<SyntheticRepository> {
  const root = await mkdtemp(join(tmpdir(), 'tidemark-catalog-'))
  const backups = new BackupRepository(new PosixStorage(root))
  const wal = new DirectoryWalRepository(root)
  await wal.bindIdentity({ systemIdentifier, segmentSize: SEGMENT_SIZE })
  const put = async (name: string, payload: Buffer): Promise<void> => {
    const info = { sha256: createHash('sha256').update(payload).digest('hex'), size: payload.length, compression: 'none' as const }
    await wal.putIfAbsent(name, info, payload)
  }
  return {
    root,
    backups,
    wal,
    archive: async (names, histories = {}) => {
      for (const name of names) {
        await put(name, Buffer.from(name))
      }
      for (const [timeline, entries] of Object.entries(histories)) {
        await put(historyFileName(Number(timeline)), Buffer.from(formatTimelineHistory(entries)))
      }
    },
    addBackup: async (record) => {
      await backups.putFile(record.id, 'base.tar', Buffer.from('base'))
      await backups.writeRecord(record)
    },
  }
}
