// The real BackupRunner: @tidemark/backup's runBaseBackup, the engine `tidemark basebackup` uses,
// with the options an agent backup always has (WAL streamed into the backup, a manifest, synced,
// cleaned up on failure or abort).
import { BASEBACKUP_DEFAULTS, parseCompressionSpec, runBaseBackup } from '@tidemark/backup'
import type { BackupRunner } from '../jobs/runners.js'

export function engineBackupRunner(conninfo: string): BackupRunner {
  return async (request) =>
    runBaseBackup({
      connection: { connectionString: conninfo, fallbackApplicationName: 'tidemark-agent' },
      targetDir: request.targetDir,
      format: request.format,
      walMethod: 'stream',
      compression: parseCompressionSpec(request.compress),
      checkpoint: request.checkpoint,
      label: request.label,
      tablespaceMappings: [],
      createSlot: false,
      noSlot: false,
      writeRecoveryConf: false,
      sync: true,
      clean: true,
      manifest: true,
      manifestChecksums: BASEBACKUP_DEFAULTS.manifestChecksums,
      estimateSize: true,
      statusIntervalSeconds: BASEBACKUP_DEFAULTS.statusIntervalSeconds,
      signal: request.signal,
      onProgress: (progress) => request.onProgress({ doneBytes: progress.doneBytes, totalBytes: progress.totalBytes }),
    })
}
