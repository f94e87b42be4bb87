import { ConfigFileError, RecoveryValueError, StandbySignalPresentError } from './errors.js'
import { replaceManagedBlock } from './managed-block.js'
import type { RecoverySettings, StandbySettings } from './recovery-settings.js'
import { renderOpenGaussRecoveryConf, renderOpenGaussStandbyConf } from './render-opengauss.js'
import { AUTO_CONF_HEADER, portLines, postgresRecoveryLines, postgresStandbyLines } from './render-postgres.js'
import { assertSupportedServer, type ServerKind } from './server-kind.js'

/** The files of a data directory that recovery configuration reads or replaces (absent: undefined). */
export interface ExistingFiles {
  readonly postgresqlConf?: string | undefined
  readonly autoConf?: string | undefined
  readonly recoveryConf?: string | undefined
  readonly standbySignal?: boolean | undefined
}

/** One file to write, by name relative to the data directory. */
export interface FileWrite {
  readonly name: string
  readonly content: string
  /** True when a file of that name exists and is replaced. */
  readonly replaces: boolean
}

export interface PlanOptions {
  /** Sets the server's port (a restored copy next to the original must not take its port). */
  readonly port?: number | undefined
  /** Named in messages only. */
  readonly dataDir?: string | undefined
}

export const AUTO_CONF = 'postgresql.auto.conf'
export const POSTGRESQL_CONF = 'postgresql.conf'
export const RECOVERY_CONF = 'recovery.conf'
export const RECOVERY_SIGNAL = 'recovery.signal'
export const STANDBY_SIGNAL = 'standby.signal'

/**
 * The files that configure archive recovery. PostgreSQL 12+: the recovery block at the end of
 * postgresql.auto.conf (the user's settings kept as they are) and an empty recovery.signal; refused
 * when standby.signal (it would start a standby) or recovery.conf (fatal on 12+) is present.
 * openGauss: recovery.conf, replaced as a whole. `port` goes to a port block in postgresql.auto.conf
 * (PostgreSQL) or postgresql.conf (openGauss, which has no postgresql.auto.conf).
 */
export function planRecoveryFiles(
  server: ServerKind,
  settings: RecoverySettings,
  existing: ExistingFiles,
  options: PlanOptions = {}
): FileWrite[] {
  assertSupportedServer(server)
  checkPort(options.port)
  const dataDir = options.dataDir ?? 'the data directory'
  if (server.flavor === 'opengauss') {
    // The port first: recovery.conf is what makes the server recover, so it is written last.
    return [
      ...openGaussPort(existing, options.port),
      { name: RECOVERY_CONF, content: renderOpenGaussRecoveryConf(settings), replaces: existing.recoveryConf !== undefined },
    ]
  }
  if (existing.standbySignal) {
    throw new StandbySignalPresentError(dataDir)
  }
  refusePostgresRecoveryConf(existing, dataDir, server.major)
  let autoConf = replaceManagedBlock(existing.autoConf ?? AUTO_CONF_HEADER, 'recovery', postgresRecoveryLines(settings), AUTO_CONF)
  if (options.port !== undefined) {
    autoConf = replaceManagedBlock(autoConf, 'port', portLines(options.port), AUTO_CONF)
  }
  return [
    { name: AUTO_CONF, content: autoConf, replaces: existing.autoConf !== undefined },
    { name: RECOVERY_SIGNAL, content: '', replaces: false },
  ]
}

/**
 * The files that make a data directory start as a streaming standby (what `basebackup -R` writes).
 * PostgreSQL 12+: a standby block in postgresql.auto.conf and an empty standby.signal. openGauss:
 * recovery.conf with standby_mode = on, primary_conninfo and primary_slotname.
 */
export function planStandbyFiles(
  server: ServerKind,
  standby: StandbySettings,
  existing: ExistingFiles,
  options: PlanOptions = {}
): FileWrite[] {
  assertSupportedServer(server)
  checkPort(options.port)
  if (server.flavor === 'opengauss') {
    return [
      ...openGaussPort(existing, options.port),
      { name: RECOVERY_CONF, content: renderOpenGaussStandbyConf(standby), replaces: existing.recoveryConf !== undefined },
    ]
  }
  refusePostgresRecoveryConf(existing, options.dataDir ?? 'the data directory', server.major)
  let autoConf = replaceManagedBlock(existing.autoConf ?? AUTO_CONF_HEADER, 'standby', postgresStandbyLines(standby), AUTO_CONF)
  if (options.port !== undefined) {
    autoConf = replaceManagedBlock(autoConf, 'port', portLines(options.port), AUTO_CONF)
  }
  return [
    { name: AUTO_CONF, content: autoConf, replaces: existing.autoConf !== undefined },
    { name: STANDBY_SIGNAL, content: '', replaces: existing.standbySignal === true },
  ]
}

function openGaussPort(existing: ExistingFiles, port: number | undefined): FileWrite[] {
  if (port === undefined) {
    return []
  }
  if (existing.postgresqlConf === undefined) {
    throw new ConfigFileError('postgresql.conf is missing from the data directory; cannot set the port')
  }
  return [
    {
      name: POSTGRESQL_CONF,
      content: replaceManagedBlock(existing.postgresqlConf, 'port', portLines(port), POSTGRESQL_CONF),
      replaces: true,
    },
  ]
}

function refusePostgresRecoveryConf(existing: ExistingFiles, dataDir: string, major: number): void {
  if (existing.recoveryConf !== undefined) {
    throw new ConfigFileError(
      `"${dataDir}/recovery.conf" exists and PostgreSQL ${major} refuses to start with it; move it away, nothing was changed`
    )
  }
}

/** A TCP port: an integer 1-65535. */
export function checkPort(port: number | undefined): void {
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    throw new RecoveryValueError(`port ${port} is not a TCP port (1-65535)`)
  }
}
