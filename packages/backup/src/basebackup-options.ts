import type { ChecksumAlgorithm } from '@tidemark/archive'
import type { ConnectOptions } from '@tidemark/wire'
import type { CompressionSpec } from './compression-spec.js'
import type { TablespaceMapping } from './tablespace-mapping.js'
import type { BackupRepository } from './repository/backup-repository.js'

/** A backup stored in a repository instead of -D: its files go to backups/<id>/data/ as they arrive. */
export interface RepositoryTarget {
  readonly repository: BackupRepository
  readonly id: string
}

export type BackupFormat = 'plain' | 'tar'
export type WalMethod = 'none' | 'fetch' | 'stream'
export type CheckpointMode = 'fast' | 'spread'

/** A base backup as the CLI and the agent ask for it: gs_basebackup's options, typed and validated. */
export interface BaseBackupOptions {
  /** Where and how to connect (host, port, user, connectionString, password callback…). */
  readonly connection: ConnectOptions
  /** -D: created if missing; a non-empty directory is refused before anything is written. With repository: for messages only. */
  readonly targetDir: string
  /** --repo (tar format): the files go to this backup of the repository, not to targetDir (see backUpToRepository). */
  readonly repository?: RepositoryTarget | undefined
  readonly format: BackupFormat
  readonly walMethod: WalMethod
  readonly compression: CompressionSpec
  readonly checkpoint: CheckpointMode
  readonly label: string
  readonly tablespaceMappings: readonly TablespaceMapping[]
  /** --waldir: plain format only; pg_wal becomes a link to it. */
  readonly walDir?: string | undefined
  /** -r, in kB/s. */
  readonly maxRateKb?: number | undefined
  /** -S: an existing (or with createSlot, new) physical slot for the WAL stream. */
  readonly slot?: string | undefined
  readonly createSlot: boolean
  /** --no-slot: no temporary slot in stream mode. */
  readonly noSlot: boolean
  /** -R: write standby configuration for the server's flavor and version. */
  readonly writeRecoveryConf: boolean
  /** false with -N/--no-sync. */
  readonly sync: boolean
  /** false with --no-clean: a failed run keeps its files, marked incomplete. */
  readonly clean: boolean
  /** false with --no-manifest. */
  readonly manifest: boolean
  readonly manifestChecksums: ChecksumAlgorithm
  /** false with --no-estimate-size. */
  readonly estimateSize: boolean
  /** -s, seconds between standby status updates (and the bound for noticing a silent server). */
  readonly statusIntervalSeconds: number
  /** Aborts the run (SIGINT/SIGTERM, an agent shutdown): everything stops and what was created goes. */
  readonly signal?: AbortSignal | undefined
  /** Progress (bytes so far and the server's estimate). */
  readonly onProgress?: ((progress: BackupProgress) => void) | undefined
  /** Messages for the user: the INFO line always, phases with verbose, server notices. */
  readonly onMessage?: ((message: BackupMessage) => void) | undefined
}

export interface BackupProgress {
  readonly doneBytes: number
  readonly totalBytes: number
  readonly tablespaceNumber: number
  readonly tablespaceCount: number
  readonly filename?: string | undefined
  /** The last report: every archive has been received. */
  readonly final?: boolean
}

export interface BackupMessage {
  /** info: always shown; verbose: shown with -v; notice/warning: from the server. */
  readonly level: 'info' | 'verbose' | 'notice' | 'warning'
  readonly text: string
}

export interface BaseBackupResult {
  readonly targetDir: string
  readonly format: BackupFormat
  readonly label: string
  readonly flavor: 'postgresql' | 'opengauss'
  readonly serverMajor: number
  readonly systemIdentifier: string
  readonly timeline: number
  readonly startLsn: string
  readonly endLsn: string
  readonly startTime: Date
  readonly endTime: Date
  /** Bytes written to the target (after compression). */
  readonly bytes: number
  /** Files written at the top of targetDir (archives in tar format, backup_manifest…). */
  readonly files: readonly string[]
  /** The server's WAL segment size. */
  readonly segmentSize?: number | undefined
}

/** Defaults as gs_basebackup and pg_basebackup have them. */
export const BASEBACKUP_DEFAULTS: Readonly<{
  format: BackupFormat
  walMethod: WalMethod
  checkpoint: CheckpointMode
  label: string
  statusIntervalSeconds: number
  manifestChecksums: ChecksumAlgorithm
}> = Object.freeze({
  format: 'plain',
  walMethod: 'stream',
  checkpoint: 'spread',
  label: 'tidemark base backup',
  statusIntervalSeconds: 10,
  manifestChecksums: 'CRC32C',
})
