// The real BackupRunner: @tidemark/backup's runBaseBackup, the engine `tidemark basebackup` uses,
// with the options an agent backup always has (WAL streamed into the backup, a manifest, synced,
// cleaned up on failure or abort). Into a storage repository (s3://) it is backUpToRepository, the
// engine of `tidemark basebackup --repo`: tar archives streamed straight into storage, record last.
import { BASEBACKUP_DEFAULTS, backUpToRepository, parseCompressionSpec, runBaseBackup, type BaseBackupOptions } from '@tidemark/backup'
import type { AgentBackupRequest, BackupRunner } from '../jobs/runners.js'

export function engineBackupRunner(conninfo: string): BackupRunner {
  return async (request) => {
    if (request.repository) {
      const { record, result } = await backUpToRepository({ ...commonOptions(conninfo, request), ...request.repository })
      return { ...result, record }
    }
    return runBaseBackup({ ...commonOptions(conninfo, request), targetDir: request.targetDir, format: request.format })
  }
}

/** What every agent backup asks of the engine, whatever its destination. */
function commonOptions(conninfo: string, request: AgentBackupRequest): Omit<BaseBackupOptions, 'targetDir' | 'format' | 'repository'> {
  return {
    connection: { connectionString: conninfo, fallbackApplicationName: 'tidemark-agent' },
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
  }
}
