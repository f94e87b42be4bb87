// The simulator's options and their defaults.
import { randomBytes } from 'node:crypto'
import type { NoticeStyle } from './base-backup-reply.js'
import { OG_DEFAULT_ITERATIONS, OG_SERVER_VERSION, OgServerMode } from './constants.js'
import { sampleDataDirectory } from './data-directory.js'
import type { SimDataDirectory } from './data-directory.js'
import { parseLsn } from './lsn.js'

export type OpenGaussAuthMethod = 'sha256' | 'md5_sha256' | 'trust'
export type OpenGaussFlavor = 'openGauss' | 'MogDB'

/** Faults to inject; `setFaults` on a running simulator replaces them for new activity. */
export interface OpenGaussFaults {
  /** Every password is wrong (the exact ErrorResponse of a failed login). */
  readonly rejectPassword?: boolean
  /** BASE_BACKUP: destroy the connection once this many gs_tar bytes have been sent. */
  readonly dropAfterTarBytes?: number
  /** BASE_BACKUP: after this many gs_tar bytes, the FATAL `base backup could not send data, aborting backup`. */
  readonly errorAfterTarBytes?: number
  /** BASE_BACKUP: stop sending and reading (keep the socket open) after this many gs_tar bytes. */
  readonly stallAfterTarBytes?: number
  /** START_REPLICATION: destroy the connection once this many WAL bytes have been sent. */
  readonly dropAfterWalBytes?: number
  /** START_REPLICATION: stop sending (no WAL, no keepalives) after this many WAL bytes. */
  readonly stallAfterWalBytes?: number
  /** Stop answering (no reply at all, socket open) when a query matches. */
  readonly stallOnQuery?: RegExp
}

export interface OpenGaussBackupOptions {
  /** REDO point: `START WAL LOCATION`. Default `0/2000028`. */
  readonly startLsn?: string
  /** Default `0/2000060`. */
  readonly checkpointLsn?: string
  /** The start result / first streamed WAL (`XlogCopyStartPtr`). Default: `startLsn`. */
  readonly xlogCopyStartLsn?: string
  /** The end result. Default `0/2000228`. */
  readonly endLsn?: string
  /** Default `0/0` (no slots). */
  readonly slotMinimumLsn?: string
  readonly disasterSlotMinimumLsn?: string
  readonly logicalSlotMinimumLsn?: string
  /** Default `v5`. */
  readonly noticeStyle?: NoticeStyle
  /** backup_label's `START TIME`. Default `2026-01-01 00:00:00 UTC`. */
  readonly startTime?: string
}

export interface OpenGaussSimulatorOptions {
  /** Default `repl`. */
  readonly user?: string
  /** Default `Tidemark@123`. */
  readonly password?: string
  /** Default `sha256` (openGauss's default `password_encryption_type = 2`). */
  readonly auth?: OpenGaussAuthMethod
  /** Stored PBKDF2 iteration count. Default 10000. */
  readonly iterations?: number
  /** The stored salt, 64 hex characters. Default: random per simulator. */
  readonly saltHex?: string
  /** The per-connection token, 8 hex characters. Default: random per connection. */
  readonly tokenHex?: string
  /** Default `openGauss`; changes only the version() text. */
  readonly flavor?: OpenGaussFlavor
  /** The version() text. */
  readonly versionString?: string
  /** Extra or replaced ParameterStatus values. */
  readonly parameters?: Readonly<Record<string, string>>
  /** Extra or replaced SHOW values. */
  readonly settings?: Readonly<Record<string, string>>
  /** Default: `sampleDataDirectory()`. */
  readonly dataDirectory?: SimDataDirectory
  /** Default 7301234567890123456. */
  readonly systemId?: bigint
  /** Default 1. */
  readonly timeline?: number
  /** Oldest WAL present (default `0/2000000`) and the flush position (default `0/2300000`). */
  readonly wal?: { readonly oldestLsn?: string; readonly flushLsn?: string }
  readonly backup?: OpenGaussBackupOptions
  /** IDENTIFY_MODE and keepalive peer_role. Default `OgServerMode.primary`. */
  readonly serverMode?: number
  /** pg_is_in_recovery(). Default false. */
  readonly inRecovery?: boolean
  /** IDENTIFY_VERSION's term. Default 1. */
  readonly term?: number
  /** Keepalives (with replyRequested) on an idle WAL stream. Default 1000 ms. */
  readonly keepaliveIntervalMs?: number
  /** Refuse replication connections on the main port (thread pool on). Default false. */
  readonly requireHaPortForReplication?: boolean
  readonly faults?: OpenGaussFaults
}

export interface ResolvedOptions {
  readonly user: string
  readonly password: string
  readonly auth: OpenGaussAuthMethod
  readonly iterations: number
  readonly saltHex: string
  readonly tokenHex: string | undefined
  readonly versionString: string
  readonly parameters: Readonly<Record<string, string>>
  readonly settings: ReadonlyMap<string, string>
  readonly data: SimDataDirectory
  readonly systemId: bigint
  readonly timeline: number
  readonly oldestLsn: bigint
  readonly flushLsn: bigint
  readonly backup: {
    readonly startLsn: bigint
    readonly checkpointLsn: bigint
    readonly xlogCopyStartLsn: bigint
    readonly endLsn: bigint
    readonly slotMinimumLsn: bigint
    readonly disasterSlotMinimumLsn: bigint
    readonly logicalSlotMinimumLsn: bigint
    readonly noticeStyle: NoticeStyle
    readonly startTime: string
  }
  readonly serverMode: number
  readonly inRecovery: boolean
  readonly term: number
  readonly keepaliveIntervalMs: number
  readonly requireHaPortForReplication: boolean
  readonly faults: OpenGaussFaults
}

function defaultVersionString(flavor: OpenGaussFlavor): string {
  const product = flavor === 'MogDB' ? 'MogDB 5.0.8' : 'openGauss 6.0.0'
  return `(${product} build 7e1fc94a) compiled at 2025-08-01 15:28:11 commit 0 last mr  on x86_64-unknown-linux-gnu, compiled by g++ (GCC) 10.3.0, 64-bit`
}

export function resolveOptions(options: OpenGaussSimulatorOptions): ResolvedOptions {
  const user = options.user ?? 'repl'
  const systemId = options.systemId ?? 7_301_234_567_890_123_456n
  const data = options.dataDirectory ?? sampleDataDirectory({ systemId })
  const startLsn = parseLsn(options.backup?.startLsn ?? '0/2000028')
  const versionString = options.versionString ?? defaultVersionString(options.flavor ?? 'openGauss')
  const parameters: Record<string, string> = {
    application_name: '',
    client_encoding: 'UTF8',
    DateStyle: 'ISO, MDY',
    integer_datetimes: 'on',
    IntervalStyle: 'postgres',
    is_sysadmin: 'off',
    server_encoding: 'UTF8',
    server_version: OG_SERVER_VERSION,
    session_authorization: user,
    standard_conforming_strings: 'on',
    TimeZone: 'PRC',
    ...options.parameters,
  }
  const settings = new Map<string, string>(
    Object.entries({
      server_version: OG_SERVER_VERSION,
      server_version_num: '90204',
      wal_level: 'hot_standby',
      max_wal_senders: '16',
      wal_keep_segments: '16',
      archive_mode: 'off',
      data_directory: data.dataDir,
      port: '5432',
      integer_datetimes: 'on',
      enable_incremental_checkpoint: 'on',
      enable_double_write: 'on',
      password_encryption_type: '2',
      block_size: '8192',
      wal_block_size: '8192',
      wal_segment_size: '2048',
      pgxc_node_name: 'dn_6001',
      ...options.settings,
    }).map(([k, v]) => [k.toLowerCase(), v])
  )
  return {
    user,
    password: options.password ?? 'Tidemark@123',
    auth: options.auth ?? 'sha256',
    iterations: options.iterations ?? OG_DEFAULT_ITERATIONS,
    saltHex: (options.saltHex ?? randomBytes(32).toString('hex')).toLowerCase(),
    tokenHex: options.tokenHex?.toLowerCase(),
    versionString,
    parameters,
    settings,
    data,
    systemId,
    timeline: options.timeline ?? 1,
    oldestLsn: parseLsn(options.wal?.oldestLsn ?? '0/2000000'),
    flushLsn: parseLsn(options.wal?.flushLsn ?? '0/2300000'),
    backup: {
      startLsn,
      checkpointLsn: parseLsn(options.backup?.checkpointLsn ?? '0/2000060'),
      xlogCopyStartLsn: options.backup?.xlogCopyStartLsn ? parseLsn(options.backup.xlogCopyStartLsn) : startLsn,
      endLsn: parseLsn(options.backup?.endLsn ?? '0/2000228'),
      slotMinimumLsn: parseLsn(options.backup?.slotMinimumLsn ?? '0/0'),
      disasterSlotMinimumLsn: parseLsn(options.backup?.disasterSlotMinimumLsn ?? '0/0'),
      logicalSlotMinimumLsn: parseLsn(options.backup?.logicalSlotMinimumLsn ?? '0/0'),
      noticeStyle: options.backup?.noticeStyle ?? 'v5',
      startTime: options.backup?.startTime ?? '2026-01-01 00:00:00 UTC',
    },
    serverMode: options.serverMode ?? OgServerMode.primary,
    inRecovery: options.inRecovery ?? false,
    term: options.term ?? 1,
    keepaliveIntervalMs: options.keepaliveIntervalMs ?? 1000,
    requireHaPortForReplication: options.requireHaPortForReplication ?? false,
    faults: options.faults ?? {},
  }
}
