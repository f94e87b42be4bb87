// The real BackupRunner: @tidemark/backup's runBaseBackup, the engine `tidemark basebackup` uses.
// runBaseBackup is looked up at run time so this agent builds before the engine is exported; until
// then POST /v1/backups answers 501. The options are typed against BaseBackupOptions all the same.
import { BASEBACKUP_DEFAULTS, parseCompressionSpec, type BaseBackupOptions, type BaseBackupResult } from '@tidemark/backup'
import type { BackupRunner } from '../jobs/runners.js'

type RunBaseBackup = (options: BaseBackupOptions) => Promise<BaseBackupResult>

/** The runner for conninfo, or undefined when this build's @tidemark/backup has no runBaseBackup yet. */
export async function engineBackupRunner(conninfo: string): Promise<BackupRunner | undefined> {
  const engine = (await import('@tidemark/backup')) as unknown as Record<string, unknown>
  const runBaseBackup = engine['runBaseBackup'] as RunBaseBackup | undefined
  if (typeof runBaseBackup !== 'function') {
    return undefined
  }
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
