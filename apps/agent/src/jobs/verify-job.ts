// A verify job: the engine checks a finished backup's files; the record's verified flag follows.
import type { BackupRecord } from '@tidemark/backup'
import type { BackupStore } from '../backup/backup-store.js'
import type { JobWork } from './job-registry.js'
import type { VerifyRunner } from './runners.js'

export function verifyJob(backups: BackupStore, runner: VerifyRunner, record: BackupRecord): JobWork {
  return async (signal, onProgress) => {
    try {
      await runner({ ...backups.verifySource(record.id), format: record.format, signal, onProgress })
    } catch (error) {
      if (!signal.aborted) {
        await backups.markVerified(record.id, false)
      }
      throw error
    }
    await backups.markVerified(record.id, true)
  }
}
