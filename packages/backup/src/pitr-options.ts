// The request and the answer of runPitr.
import type { ConnectionParameters } from '@tidemark/wire'
import type { RecoveryInput } from '@tidemark/recovery'
import type { WalRepository, WalS3Flags } from '@tidemark/wal'
import type { BackupSource } from './extract-sources.js'
import type { BackupRepository } from './repository/backup-repository.js'
import type { RecoveryEnd } from './pitr-server-log.js'

export interface PitrOptions {
  /** A plain or tar backup with a backup_manifest, or a repository's backup; absent: picked from `backups`. */
  readonly backup?: BackupSource | undefined
  /** The repository's backups to pick from when `backup` is absent (pickBackupForTarget). */
  readonly backups?: BackupRepository | undefined
  /** The data directory to recover into; what is there is moved aside. */
  readonly dataDir: string
  /** The WAL repository the server's archive_command pushed to: a directory or URL, for messages and to open it. */
  readonly repo: string
  /** The WAL repository opened already; absent: openWalRepository(repo) with s3 and env. */
  readonly walRepository?: WalRepository | undefined
  /** --s3-endpoint, --s3-region, --s3-profile, --s3-path-style for an s3:// repo. */
  readonly s3?: WalS3Flags | undefined
  /** The agent's token file for an http(s) repository (else TIDEMARK_TOKEN_FILE or TIDEMARK_TOKEN). */
  readonly tokenFile?: string | undefined
  /** The environment the repository is opened with (AWS settings; default process.env). */
  readonly env?: NodeJS.ProcessEnv | undefined
  /** restore_command for the server (the CLI gives the installed `tidemark-wal get --repo REPO %f %p`). */
  readonly restoreCommand: string
  /** The target and its options; restoreCommand here is ignored. No target: the end of the archive. */
  readonly target?: Omit<RecoveryInput, 'restoreCommand'> | undefined
  /** Where the old data directory goes (default: a timestamped sibling). */
  readonly asideDir?: string | undefined
  readonly port?: number | undefined
  /** Start the server as the data directory's OS user and wait until recovery stops. */
  readonly start?: boolean | undefined
  readonly pgBin?: string | undefined
  /** How to connect to the started server to read where recovery stopped (default: its socket or 127.0.0.1, its port, user PGUSER or postgres). */
  readonly connection?: ConnectionParameters | undefined
  readonly sync?: boolean | undefined
  readonly signal?: AbortSignal | undefined
  /** Every step, one line each. */
  readonly onMessage?: ((text: string) => void) | undefined
}

/** Why recovery stopped. */
export type PitrStopReason =
  /** At the target, paused (resume with `tidemark resume`). */
  | 'paused-at-target'
  /** At the target, then promoted. */
  | 'promoted-at-target'
  /** At the target, the server shut down (recovery_target_action = shutdown). */
  | 'shutdown-at-target'
  /** No target: all archived WAL replayed, then promoted. */
  | 'end-of-wal'
  /** The target was never reached: WAL ran out first (PostgreSQL 13+ then refuses to start). */
  | 'target-not-reached'

export interface PitrStop {
  readonly reason: PitrStopReason
  /** The last WAL record replayed (pg_last_wal_replay_lsn(), or the log's "redo done at"). */
  readonly lsn: string | undefined
  /** The last replayed transaction's commit time (pg_last_xact_replay_timestamp(), or the log). */
  readonly time: string | undefined
  /** The timeline the server is on (a new one after promotion). */
  readonly timeline: number | undefined
  /** The log line that tells why ("recovery stopping before commit of transaction 745, time ..."). */
  readonly logLine: string | undefined
  /** Whether the server is still running. */
  readonly running: boolean
  readonly logFile: string
  readonly end: RecoveryEnd
}

export interface PitrPreflight {
  readonly backupTimeline: number
  readonly backupStart: string
  readonly backupEnd: string
  /** Segment names checked in the repository (the chain from the backup's start). */
  readonly checkedSegments: number
  /** The last segment of the unbroken chain on the recovery path. */
  readonly lastSegment: string | undefined
  /** The timelines recovery follows, oldest first. */
  readonly timelines: readonly number[]
}

export interface PitrResult {
  readonly dataDir: string
  readonly asideDir: string | undefined
  readonly preflight: PitrPreflight
  readonly restoreCommand: string
  readonly port: number | undefined
  /** The command that starts it (as its OS user), when not started. */
  readonly startCommand: string
  /** Set with --start. */
  readonly stop: PitrStop | undefined
}
