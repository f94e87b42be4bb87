// A verify job: the engine checks a finished backup's files; the record's verified flag follows.
import type { BackupCatalog, BackupRecord } from '@tidemark/backup'
import type { JobWork } from './job-registry.js'
import type { VerifyRunner } from './runners.js'

export function verifyJob(catalog: BackupCatalog, runner: VerifyRunner, record: BackupRecord): JobWork {
  return async (signal, onProgress) => {
    try {
      await runner({ backupDir: catalog.dataDirectoryOf(record.id), format: record.format, signal, onProgress })
    } catch (error) {
      if (!signal.aborted) {
        await catalog.markVerified(record.id, false)
      }
      throw error
    }
    await catalog.markVerified(record.id, true)
  }
}
