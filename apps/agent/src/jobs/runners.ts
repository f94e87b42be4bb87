// What the agent asks of the backup engine, as a narrow, injectable seam: the real runner calls
// @tidemark/backup's runBaseBackup (backup/engine-runner.ts); route tests use a stub.
import type { BaseBackupResult } from '@tidemark/backup'

export interface JobProgress {
  readonly doneBytes: number
  readonly totalBytes: number
}

export interface AgentBackupRequest {
  /** Empty or missing directory inside the catalog (backups/<id>/data). */
  readonly targetDir: string
  readonly label: string
  readonly format: 'plain' | 'tar'
  /** 'none' or a -Z specification ('gzip:5', 'server-lz4'…). */
  readonly compress: string
  readonly checkpoint: 'fast' | 'spread'
  readonly signal: AbortSignal
  readonly onProgress: (progress: JobProgress) => void
}

/** The fields of BaseBackupResult the catalog records. */
export type AgentBackupResult = Pick<
  BaseBackupResult,
  'label' | 'flavor' | 'serverMajor' | 'systemIdentifier' | 'timeline' | 'startLsn' | 'endLsn' | 'startTime' | 'endTime' | 'bytes'
>

export type BackupRunner = (request: AgentBackupRequest) => Promise<AgentBackupResult>

export interface AgentVerifyRequest {
  /** The backup's files (backups/<id>/data). */
  readonly backupDir: string
  readonly format: 'plain' | 'tar'
  readonly signal: AbortSignal
  readonly onProgress: (progress: JobProgress) => void
}

/** Resolves when the backup verifies; rejects with the engine's error otherwise. */
export type VerifyRunner = (request: AgentVerifyRequest) => Promise<void>
