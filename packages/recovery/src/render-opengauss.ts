import { targetEntry } from './target-entry.js'
import { RecoveryKeyUnsupportedError } from './errors.js'
import { quoteGucValue } from './guc-quote.js'
import type { RecoverySettings, RecoveryTarget, StandbySettings } from './recovery-settings.js'

/**
 * Every key openGauss's recovery.conf reader accepts (xlog.cpp readRecoveryCommandFile); any other
 * key is FATAL there ("unrecognized recovery parameter"), so nothing else is ever written.
 */
export const OPENGAUSS_RECOVERY_KEYS: readonly string[] = [
  'restore_command',
  'recovery_end_command',
  'archive_cleanup_command',
  'pause_at_recovery_target',
  'recovery_target_timeline',
  'recovery_target_xid',
  'recovery_target_time',
  'recovery_target_name',
  'recovery_target_lsn',
  'recovery_target_inclusive',
  'recovery_target_barrier',
  'recovery_target_time_obs',
  'standby_mode',
  'primary_conninfo',
  'primary_slotname',
  'trigger_file',
]

const HEADER = '# recovery.conf written by tidemark; openGauss reads it at startup and renames it recovery.done\n'

/**
 * openGauss recovery.conf for archive recovery: the commands, at most one target, inclusive,
 * timeline (latest or a number; `current` is the server's default and is left out) and
 * pause_at_recovery_target. Only settings that were given are written.
 */
export function renderOpenGaussRecoveryConf(settings: RecoverySettings): string {
  const lines: string[] = []
  const add = (key: string, value: string): void => {
    lines.push(`${key} = ${value}`)
  }
  if (settings.restoreCommand !== undefined) {
    add('restore_command', quoteGucValue(settings.restoreCommand))
  }
  if (settings.archiveCleanupCommand !== undefined) {
    add('archive_cleanup_command', quoteGucValue(settings.archiveCleanupCommand))
  }
  if (settings.recoveryEndCommand !== undefined) {
    add('recovery_end_command', quoteGucValue(settings.recoveryEndCommand))
  }
  const target = openGaussTarget(settings.target)
  if (target) {
    add(target[0], quoteGucValue(target[1]))
  }
  if (settings.targetInclusive !== undefined) {
    add('recovery_target_inclusive', String(settings.targetInclusive))
  }
  if (settings.targetTimeline !== undefined && settings.targetTimeline !== 'current') {
    add('recovery_target_timeline', quoteGucValue(String(settings.targetTimeline)))
  }
  if (settings.pauseAtTarget !== undefined) {
    add('pause_at_recovery_target', String(settings.pauseAtTarget))
  }
  return `${HEADER}${lines.join('\n')}\n`
}

/** openGauss recovery.conf for a standby: standby_mode, primary_conninfo, primary_slotname. */
export function renderOpenGaussStandbyConf(standby: StandbySettings): string {
  const lines = ['standby_mode = on', `primary_conninfo = ${quoteGucValue(standby.primaryConninfo)}`]
  if (standby.primarySlotName !== undefined) {
    lines.push(`primary_slotname = ${quoteGucValue(standby.primarySlotName)}`)
  }
  if (standby.restoreCommand !== undefined) {
    lines.push(`restore_command = ${quoteGucValue(standby.restoreCommand)}`)
  }
  return `${HEADER}${lines.join('\n')}\n`
}

function openGaussTarget(target: RecoveryTarget | undefined): readonly [string, string] | undefined {
  if (target?.kind === 'immediate') {
    // resolveRecoverySettings refuses it; a hand-made model must not reach the file either.
    throw new RecoveryKeyUnsupportedError("openGauss has no recovery_target = 'immediate'")
  }
  return targetEntry(target)
}
