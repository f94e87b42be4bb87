// A backup job: a new catalog directory, the engine run into its data directory, then the record.
// Whatever fails (or an abort on shutdown) removes the directory, so no partial backup remains.
import { directorySize, type BackupCatalog, type BackupRecord } from '@tidemark/backup'
import type { JobWork } from './job-registry.js'
import type { BackupRunner } from './runners.js'

export interface BackupJobRequest {
  readonly label: string
  readonly format: 'plain' | 'tar'
  readonly compress: string
  readonly checkpoint: 'fast' | 'spread'
}

export function backupJob(catalog: BackupCatalog, runner: BackupRunner, backupId: string, request: BackupJobRequest): JobWork {
  return async (signal, onProgress) => {
    const targetDir = await catalog.create(backupId)
    try {
      signal.throwIfAborted()
      const result = await runner({ ...request, targetDir, signal, onProgress })
      signal.throwIfAborted()
      // The engine reports bytes written for tar; a plain directory is measured on disk.
      const bytes = result.bytes > 0 ? result.bytes : await directorySize(targetDir)
      const record: BackupRecord = {
        id: backupId,
        label: result.label,
        startLsn: result.startLsn,
        endLsn: result.endLsn,
        timeline: result.timeline,
        startTime: result.startTime.toISOString(),
        endTime: result.endTime.toISOString(),
        systemIdentifier: result.systemIdentifier,
        bytes,
        flavor: result.flavor,
        serverMajor: result.serverMajor,
        format: request.format,
        compression: request.compress,
        verified: false,
      }
      await catalog.record(record)
      onProgress({ doneBytes: bytes, totalBytes: bytes })
    } catch (error) {
      await catalog.remove(backupId)
      throw error
    }
  }
}
