// A backup job: room for it in the store, the engine run into it, then the record.
// Whatever fails (or an abort on shutdown) removes what it stored, so no partial backup remains.
import type { BackupStore } from '../backup/backup-store.js'
import type { JobWork } from './job-registry.js'
import type { BackupRunner } from './runners.js'

export interface BackupJobRequest {
  readonly label: string
  readonly format: 'plain' | 'tar'
  readonly compress: string
  readonly checkpoint: 'fast' | 'spread'
}

export function backupJob(backups: BackupStore, runner: BackupRunner, backupId: string, request: BackupJobRequest): JobWork {
  return async (signal, onProgress) => {
    const destination = await backups.prepare(backupId)
    try {
      signal.throwIfAborted()
      const result = await runner({ ...request, ...destination, signal, onProgress })
      signal.throwIfAborted()
      const record = await backups.finish(backupId, result, request, destination)
      onProgress({ doneBytes: record.bytes, totalBytes: record.bytes })
    } catch (error) {
      await backups.remove(backupId)
      throw error
    }
  }
}
