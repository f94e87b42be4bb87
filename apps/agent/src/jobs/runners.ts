// What the agent asks of the backup engine, as a narrow, injectable seam: the real runner calls
// @tidemark/backup's runBaseBackup (backup/engine-runner.ts); route tests use a stub.
import type { BackupRecord, BaseBackupResult, RepositoryBackupSource } from '@tidemark/backup'

export interface JobProgress {
  readonly doneBytes: number
  readonly totalBytes: number
}

export interface AgentBackupRequest {
  /**
   * Empty or missing directory inside the catalog (backups/<id>/data); for a storage repository
   * (s3://) only a name for messages, the backup going to `repository` instead.
   */
  readonly targetDir: string
  /** A storage repository and the new backup's id: the tar archives stream straight into it. */
  readonly repository?: RepositoryBackupSource | undefined
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
> & {
  /** The record the engine wrote itself (a backup into a storage repository). */
  readonly record?: BackupRecord | undefined
}

export type BackupRunner = (request: AgentBackupRequest) => Promise<AgentBackupResult>

export interface AgentVerifyRequest {
  /** The backup's files (backups/<id>/data). */
  readonly backupDir: string
  /** A backup in a storage repository (s3://): verified from there, streaming; backupDir only names it. */
  readonly repository?: RepositoryBackupSource | undefined
  readonly format: 'plain' | 'tar'
  readonly signal: AbortSignal
  readonly onProgress: (progress: JobProgress) => void
}

/** Resolves when the backup verifies; rejects with the engine's error otherwise. */
export type VerifyRunner = (request: AgentVerifyRequest) => Promise<void>
