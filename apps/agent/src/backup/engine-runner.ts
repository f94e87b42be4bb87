// The real BackupRunner: @tidemark/backup's runBaseBackup, the engine `tidemark basebackup` uses.
// It is looked up at run time so this agent builds before the engine is exported; until then
// POST /v1/backups answers 501.
import type { AgentBackupResult, BackupRunner, JobProgress } from '../jobs/runners.js'

/** The part of BaseBackupOptions (packages/backup/src/basebackup-options.ts) the agent sets. */
interface EngineOptions {
  readonly connection: { readonly connectionString: string; readonly fallbackApplicationName: string }
  readonly targetDir: string
  readonly format: 'plain' | 'tar'
  readonly walMethod: 'stream'
  readonly compression: unknown
  readonly checkpoint: 'fast' | 'spread'
  readonly label: string
  readonly tablespaceMappings: readonly []
  readonly createSlot: false
  readonly noSlot: false
  readonly writeRecoveryConf: false
  readonly sync: true
  readonly clean: true
  readonly manifest: true
  readonly manifestChecksums: 'CRC32C'
  readonly estimateSize: true
  readonly statusIntervalSeconds: number
  readonly signal: AbortSignal
  readonly onProgress: (progress: JobProgress) => void
}

type RunBaseBackup = (options: EngineOptions) => Promise<AgentBackupResult>
type ParseCompressionSpec = (spec: string) => unknown

const STATUS_INTERVAL_SECONDS = 10

/** The runner for conninfo, or undefined when this build's @tidemark/backup has no runBaseBackup yet. */
export async function engineBackupRunner(conninfo: string): Promise<BackupRunner | undefined> {
  const engine = (await import('@tidemark/backup')) as unknown as Record<string, unknown>
  const runBaseBackup = engine['runBaseBackup'] as RunBaseBackup | undefined
  const parseCompressionSpec = engine['parseCompressionSpec'] as ParseCompressionSpec | undefined
  if (typeof runBaseBackup !== 'function' || typeof parseCompressionSpec !== 'function') {
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
      manifestChecksums: 'CRC32C',
      estimateSize: true,
      statusIntervalSeconds: STATUS_INTERVAL_SECONDS,
      signal: request.signal,
      onProgress: (progress) => request.onProgress({ doneBytes: progress.doneBytes, totalBytes: progress.totalBytes }),
    })
}
