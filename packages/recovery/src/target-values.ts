import { RecoveryNameError, RecoveryTimelineError, RecoveryValueError, RecoveryXidError } from './errors.js'
import { TARGET_ACTIONS, type TargetAction, type TargetTimeline } from './recovery-settings.js'

/** NAMEDATALEN - 1: the longest restore point name the server keeps. */
export const MAX_TARGET_NAME_BYTES = 63

const MAX_XID = 2n ** 64n - 1n

/** Checks a restore point name: 1 to 63 bytes of UTF-8, no control characters. */
export function checkTargetName(name: string): string {
  const bytes = Buffer.byteLength(name, 'utf8')
  if (bytes === 0) {
    throw new RecoveryNameError('recovery target name is empty; give the name passed to pg_create_restore_point()')
  }
  if (bytes > MAX_TARGET_NAME_BYTES) {
    throw new RecoveryNameError(
      `recovery target name "${name}" is ${bytes} bytes long; restore point names have at most ${MAX_TARGET_NAME_BYTES} bytes`
    )
  }
  if (hasControlCharacter(name)) {
    throw new RecoveryNameError(`recovery target name ${JSON.stringify(name)} holds a control character`)
  }
  return name
}

/**
 * Checks a transaction id: a positive decimal integer. Values above 2^32 are allowed: PostgreSQL reads
 * an epoch-qualified xid (from txid_current()), openGauss has 64-bit xids.
 */
export function checkTargetXid(text: string): string {
  const trimmed = text.trim()
  if (!/^\d+$/.test(trimmed)) {
    throw new RecoveryXidError(text)
  }
  const value = BigInt(trimmed)
  if (value < 1n || value > MAX_XID) {
    throw new RecoveryXidError(text)
  }
  return value.toString()
}

/** Reads `latest`, `current` or a positive timeline number (decimal). */
export function parseTargetTimeline(value: string | number): TargetTimeline {
  const text = String(value).trim().toLowerCase()
  if (text === 'latest' || text === 'current') {
    return text
  }
  if (/^\d+$/.test(text)) {
    const number = Number(text)
    if (number >= 1 && number <= 0xffffffff) {
      return number
    }
  }
  throw new RecoveryTimelineError(String(value))
}

/** Reads pause, promote or shutdown. */
export function parseTargetAction(value: string): TargetAction {
  const text = value.trim().toLowerCase()
  const action = TARGET_ACTIONS.find((candidate) => candidate === text)
  if (!action) {
    throw new RecoveryValueError(`recovery target action "${value}" is not one of ${TARGET_ACTIONS.join(', ')}`)
  }
  return action
}

const TRUE_WORDS = ['true', 'on', 'yes', '1', 't', 'y']
const FALSE_WORDS = ['false', 'off', 'no', '0', 'f', 'n']

/** Reads a boolean the way the server does: true/false, on/off, yes/no, 1/0. */
export function parseBooleanSetting(what: string, value: string | boolean): boolean {
  if (typeof value === 'boolean') {
    return value
  }
  const text = value.trim().toLowerCase()
  if (TRUE_WORDS.includes(text)) {
    return true
  }
  if (FALSE_WORDS.includes(text)) {
    return false
  }
  throw new RecoveryValueError(`${what} "${value}" is not a boolean; use true or false`)
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text)
}
