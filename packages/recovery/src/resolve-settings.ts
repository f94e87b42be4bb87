import {
  RecoveryKeyUnsupportedError,
  RecoveryTargetConflictError,
  RecoveryValueError,
  RestoreCommandMissingError,
} from './errors.js'
import { normalizeLsn } from './lsn.js'
import { checkRecoveryCommand } from './recovery-command.js'
import type { RecoverySettings, RecoveryTarget, TargetAction, TargetTimeline } from './recovery-settings.js'
import { parseRecoveryTime } from './recovery-time.js'
import { assertSupportedServer, describeServer, type ServerKind } from './server-kind.js'
import {
  checkTargetName,
  checkTargetXid,
  parseBooleanSetting,
  parseTargetAction,
  parseTargetTimeline,
} from './target-values.js'

/** Recovery options as a user gives them (strings from a command line, or typed values). */
export interface RecoveryInput {
  readonly restoreCommand?: string | undefined
  readonly archiveCleanupCommand?: string | undefined
  readonly recoveryEndCommand?: string | undefined
  readonly targetName?: string | undefined
  readonly targetTime?: string | undefined
  readonly targetXid?: string | number | undefined
  readonly targetLsn?: string | undefined
  readonly targetImmediate?: boolean | undefined
  readonly targetInclusive?: boolean | string | undefined
  readonly targetTimeline?: TargetTimeline | string | undefined
  /** pause, promote or shutdown. On openGauss pause/promote become pause_at_recovery_target true/false. */
  readonly targetAction?: TargetAction | string | undefined
  /** openGauss pause_at_recovery_target; not known to PostgreSQL (use targetAction there). */
  readonly pauseAtTarget?: boolean | string | undefined
}

export interface ResolveOptions {
  /**
   * The zone the server reads a time without a zone in: its `timezone` setting (readServerTimeZone
   * reads it from a data directory). Needed only for such a time.
   */
  readonly timeZone?: string | undefined
  /** A standby configuration does not need a restore_command; a recovery one does (default true). */
  readonly requireRestoreCommand?: boolean
}

export interface ResolvedRecovery {
  readonly settings: RecoverySettings
  /** Set when a target time without a zone was read in the server's zone: which zone. */
  readonly assumedTimeZone?: string
}

/**
 * Validates recovery options for one server and turns them into settings: at most one target; an
 * `X/Y` LSN, a time that parses, a positive xid, a name of at most 63 bytes; only keys the server knows.
 */
export function resolveRecoverySettings(
  input: RecoveryInput,
  server: ServerKind,
  options: ResolveOptions = {}
): ResolvedRecovery {
  assertSupportedServer(server)
  const settings: { -readonly [K in keyof RecoverySettings]: RecoverySettings[K] } = {}
  if (input.restoreCommand !== undefined) {
    settings.restoreCommand = checkRecoveryCommand('restore_command', input.restoreCommand)
  } else if (options.requireRestoreCommand ?? true) {
    throw new RestoreCommandMissingError()
  }
  if (input.archiveCleanupCommand !== undefined) {
    settings.archiveCleanupCommand = checkRecoveryCommand('archive_cleanup_command', input.archiveCleanupCommand)
  }
  if (input.recoveryEndCommand !== undefined) {
    settings.recoveryEndCommand = checkRecoveryCommand('recovery_end_command', input.recoveryEndCommand)
  }
  const { target, assumedTimeZone } = resolveTarget(input, server, options.timeZone)
  if (target) {
    settings.target = target
  }
  if (input.targetInclusive !== undefined) {
    settings.targetInclusive = parseBooleanSetting('recovery target inclusive', input.targetInclusive)
  }
  if (input.targetTimeline !== undefined) {
    settings.targetTimeline = parseTargetTimeline(input.targetTimeline)
  }
  const action = input.targetAction === undefined ? undefined : parseTargetAction(input.targetAction)
  const pause =
    input.pauseAtTarget === undefined ? undefined : parseBooleanSetting('pause at recovery target', input.pauseAtTarget)
  if (server.flavor === 'postgresql') {
    if (pause !== undefined) {
      throw new RecoveryKeyUnsupportedError(
        `${describeServer(server)} has no pause_at_recovery_target; use the target action (pause, promote or shutdown)`
      )
    }
    if (action !== undefined) {
      settings.targetAction = action
    }
  } else {
    const pauseAt = openGaussPause(action, pause)
    if (pauseAt !== undefined) {
      settings.pauseAtTarget = pauseAt
    }
  }
  return assumedTimeZone === undefined ? { settings } : { settings, assumedTimeZone }
}

function resolveTarget(
  input: RecoveryInput,
  server: ServerKind,
  timeZone: string | undefined
): { target?: RecoveryTarget; assumedTimeZone?: string } {
  const given: string[] = []
  if (input.targetName !== undefined) {
    given.push('a target name')
  }
  if (input.targetTime !== undefined) {
    given.push('a target time')
  }
  if (input.targetXid !== undefined) {
    given.push('a target xid')
  }
  if (input.targetLsn !== undefined) {
    given.push('a target LSN')
  }
  if (input.targetImmediate) {
    given.push('target immediate')
  }
  if (given.length > 1) {
    throw new RecoveryTargetConflictError(given)
  }
  if (input.targetName !== undefined) {
    return { target: { kind: 'name', name: checkTargetName(input.targetName) } }
  }
  if (input.targetTime !== undefined) {
    const time = parseRecoveryTime(input.targetTime, timeZone)
    const target: RecoveryTarget = { kind: 'time', time: time.text }
    return time.assumedTimeZone === undefined ? { target } : { target, assumedTimeZone: time.assumedTimeZone }
  }
  if (input.targetXid !== undefined) {
    return { target: { kind: 'xid', xid: checkTargetXid(String(input.targetXid)) } }
  }
  if (input.targetLsn !== undefined) {
    return { target: { kind: 'lsn', lsn: normalizeLsn(input.targetLsn) } }
  }
  if (input.targetImmediate) {
    if (server.flavor === 'opengauss') {
      throw new RecoveryKeyUnsupportedError(
        `openGauss has no recovery_target = 'immediate'; give a target name, time, xid or LSN, or none for the end of WAL`
      )
    }
    return { target: { kind: 'immediate' } }
  }
  return {}
}

/** openGauss knows only pause_at_recovery_target: pause → true, promote → false, shutdown → unsupported. */
function openGaussPause(action: TargetAction | undefined, pause: boolean | undefined): boolean | undefined {
  if (action === 'shutdown') {
    throw new RecoveryKeyUnsupportedError(
      'openGauss cannot shut down at the recovery target (it knows only pause_at_recovery_target); use pause or promote'
    )
  }
  const fromAction = action === undefined ? undefined : action === 'pause'
  if (fromAction !== undefined && pause !== undefined && fromAction !== pause) {
    throw new RecoveryValueError(`target action ${action} contradicts pause at recovery target = ${pause}`)
  }
  return fromAction ?? pause
}
