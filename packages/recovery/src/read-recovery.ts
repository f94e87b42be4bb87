import { effectiveSettings, parseConf, type ConfEntry } from './conf-parser.js'
import { RecoveryKeyUnsupportedError, RecoveryTargetConflictError } from './errors.js'
import type { RecoverySettings, RecoveryTarget, StandbySettings } from './recovery-settings.js'
import { OPENGAUSS_RECOVERY_KEYS } from './render-opengauss.js'
import { parseBooleanSetting, parseTargetAction, parseTargetTimeline } from './target-values.js'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** What the server would read from a data directory's recovery configuration. */
export interface ReadRecovery {
  readonly settings: RecoverySettings
  /** Set when primary_conninfo is set. */
  readonly standby?: StandbySettings
  /** What the server does silently that the user should know (openGauss: ignored extra targets). */
  readonly warnings: readonly string[]
}

/**
 * PostgreSQL 12+: the recovery settings the server reads from postgresql.conf then postgresql.auto.conf
 * (the last occurrence of a key wins; '' means unset). Two targets set is an error, as in the server.
 * `include` directives are not followed.
 */
export function readPostgresRecovery(files: { postgresqlConf?: string; autoConf?: string }): ReadRecovery {
  const entries: ConfEntry[] = [
    ...parseConf(files.postgresqlConf ?? '', 'postgresql.conf'),
    ...parseConf(files.autoConf ?? '', 'postgresql.auto.conf'),
  ]
  const values = effectiveSettings(entries)
  const get = (key: string): string | undefined => {
    const value = values.get(key)
    return value === undefined || value === '' ? undefined : value
  }
  const settings: Mutable<RecoverySettings> = commandSettings(get)
  const targets: Array<readonly [string, RecoveryTarget]> = []
  const immediate = get('recovery_target')
  if (immediate !== undefined) {
    targets.push(['recovery_target', { kind: 'immediate' }])
  }
  targets.push(...valueTargets(get))
  if (targets.length > 1) {
    throw new RecoveryTargetConflictError(targets.map(([key]) => key))
  }
  if (targets[0]) {
    settings.target = targets[0][1]
  }
  readCommonTail(get, settings)
  const action = get('recovery_target_action')
  if (action !== undefined) {
    settings.targetAction = parseTargetAction(action)
  }
  return withStandby(settings, get, 'primary_slot_name', [])
}

/**
 * openGauss: the settings in recovery.conf. An unknown key is an error (the server refuses to start);
 * several targets are resolved as openGauss does (xid, then name, then time, then LSN) with a warning.
 */
export function readOpenGaussRecovery(recoveryConf: string): ReadRecovery {
  const entries = parseConf(recoveryConf, 'recovery.conf')
  for (const entry of entries) {
    if (!OPENGAUSS_RECOVERY_KEYS.includes(entry.key)) {
      throw new RecoveryKeyUnsupportedError(
        `recovery.conf line ${entry.line}: openGauss does not know "${entry.key}" and would refuse to start; remove it`
      )
    }
  }
  const values = effectiveSettings(entries)
  const get = (key: string): string | undefined => values.get(key)
  const settings: Mutable<RecoverySettings> = commandSettings(get)
  const warnings: string[] = []
  // valueTargets lists xid, name, time, lsn: openGauss's order of precedence.
  const targets = valueTargets(get)
  if (targets[0]) {
    settings.target = targets[0][1]
    if (targets.length > 1) {
      warnings.push(
        `recovery.conf sets ${targets.map(([key]) => key).join(', ')}; openGauss uses ${targets[0][0]} and ignores the others`
      )
    }
  }
  readCommonTail(get, settings)
  const pause = get('pause_at_recovery_target')
  if (pause !== undefined) {
    settings.pauseAtTarget = parseBooleanSetting('pause_at_recovery_target', pause)
  }
  const standbyMode = get('standby_mode')
  const isStandby = standbyMode !== undefined && parseBooleanSetting('standby_mode', standbyMode)
  return withStandby(settings, isStandby ? get : () => undefined, 'primary_slotname', warnings)
}

function commandSettings(get: (key: string) => string | undefined): Mutable<RecoverySettings> {
  const settings: Mutable<RecoverySettings> = {}
  const restore = get('restore_command')
  if (restore !== undefined) {
    settings.restoreCommand = restore
  }
  const cleanup = get('archive_cleanup_command')
  if (cleanup !== undefined) {
    settings.archiveCleanupCommand = cleanup
  }
  const end = get('recovery_end_command')
  if (end !== undefined) {
    settings.recoveryEndCommand = end
  }
  return settings
}

function valueTargets(get: (key: string) => string | undefined): Array<readonly [string, RecoveryTarget]> {
  const targets: Array<readonly [string, RecoveryTarget]> = []
  const xid = get('recovery_target_xid')
  if (xid !== undefined) {
    targets.push(['recovery_target_xid', { kind: 'xid', xid }])
  }
  const name = get('recovery_target_name')
  if (name !== undefined) {
    targets.push(['recovery_target_name', { kind: 'name', name }])
  }
  const time = get('recovery_target_time')
  if (time !== undefined) {
    targets.push(['recovery_target_time', { kind: 'time', time }])
  }
  const lsn = get('recovery_target_lsn')
  if (lsn !== undefined) {
    targets.push(['recovery_target_lsn', { kind: 'lsn', lsn }])
  }
  return targets
}

function readCommonTail(get: (key: string) => string | undefined, settings: Mutable<RecoverySettings>): void {
  const inclusive = get('recovery_target_inclusive')
  if (inclusive !== undefined) {
    settings.targetInclusive = parseBooleanSetting('recovery_target_inclusive', inclusive)
  }
  const timeline = get('recovery_target_timeline')
  if (timeline !== undefined) {
    settings.targetTimeline = parseTargetTimeline(timeline)
  }
}

function withStandby(
  settings: RecoverySettings,
  get: (key: string) => string | undefined,
  slotKey: string,
  warnings: readonly string[]
): ReadRecovery {
  const conninfo = get('primary_conninfo')
  if (conninfo === undefined || conninfo === '') {
    return { settings, warnings }
  }
  const slot = get(slotKey)
  const standby: Mutable<StandbySettings> = { primaryConninfo: conninfo }
  if (slot !== undefined && slot !== '') {
    standby.primarySlotName = slot
  }
  if (settings.restoreCommand !== undefined) {
    standby.restoreCommand = settings.restoreCommand
  }
  return { settings, standby, warnings }
}
