import { RecoveryTimeError } from './errors.js'

/** A recovery_target_time with an explicit offset, and which zone it was read in. */
export interface RecoveryTime {
  /** `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM]`: what is written to the configuration. */
  readonly text: string
  /** The instant, to the millisecond (fractions below are kept in `text`). */
  readonly instant: Date
  /** The zone the time was read in when it had none of its own; absent when it had one. */
  readonly assumedTimeZone?: string
  /** The zone or offset the time was read in: `assumedTimeZone`, or the one it carried. */
  readonly zone: string
}

// 2026-01-02 03:04[:05[.123456]] with ' ' or 'T', then an optional zone: Z, ±HH[[:]MM], or a name.
const TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*(?:(Z|[+-]\d{2}(?::?\d{2})?)|\s([A-Za-z][A-Za-z0-9_+\-/]*))?$/

/**
 * Reads a recovery target time. A time without a zone is read in `timeZone`, the zone the server
 * will use (its `timezone` setting); the result says so. Names are IANA zones (`Europe/Berlin`, `UTC`).
 */
export function parseRecoveryTime(text: string, timeZone?: string): RecoveryTime {
  const match = TIME_PATTERN.exec(text.trim())
  if (!match) {
    throw new RecoveryTimeError(
      `recovery target time "${text}" does not parse; write it as YYYY-MM-DD HH:MM:SS[.ffffff][±HH[:MM] or zone], ` +
        `e.g. 2026-01-02 03:04:05+00`
    )
  }
  const [, y, mo, d, h, mi, s, fraction, offsetText, zoneName] = match
  const fields = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s ?? '0'),
  }
  checkCalendar(text, fields)
  const fractionText = fraction ? `.${fraction}` : ''
  const millis = fraction ? Number(fraction.padEnd(6, '0').slice(0, 3)) : 0
  const wall = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, millis)
  let offsetMinutes: number
  let zone: string
  let assumedTimeZone: string | undefined
  if (offsetText) {
    offsetMinutes = parseOffset(offsetText)
    zone = offsetText
  } else {
    const name = zoneName ?? timeZone
    if (name === undefined) {
      throw new RecoveryTimeError(
        `recovery target time "${text}" has no time zone and the server's zone is unknown; add one, e.g. "${text.trim()}+00"`
      )
    }
    offsetMinutes = offsetInZone(text, name, wall)
    zone = name
    if (!zoneName) {
      assumedTimeZone = name
    }
  }
  const instant = new Date(wall - offsetMinutes * 60_000)
  const rendered = `${pad(fields.year, 4)}-${pad(fields.month)}-${pad(fields.day)} ${pad(fields.hour)}:${pad(fields.minute)}:${pad(fields.second)}${fractionText}${formatOffset(offsetMinutes)}`
  return assumedTimeZone === undefined
    ? { text: rendered, instant, zone }
    : { text: rendered, instant, zone, assumedTimeZone }
}

interface WallFields {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
}

function checkCalendar(text: string, f: WallFields): void {
  const daysInMonth = new Date(Date.UTC(f.year, f.month, 0)).getUTCDate()
  const ok =
    f.month >= 1 && f.month <= 12 && f.day >= 1 && f.day <= daysInMonth && f.hour <= 23 && f.minute <= 59 && f.second <= 59
  if (!ok) {
    throw new RecoveryTimeError(`recovery target time "${text}" is not a valid date and time of day`)
  }
}

function parseOffset(text: string): number {
  if (text === 'Z') {
    return 0
  }
  const sign = text.startsWith('-') ? -1 : 1
  const digits = text.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0
  return sign * (hours * 60 + minutes)
}

/** The UTC offset (minutes) of a zone at the instant whose wall-clock time in that zone is `wall`. */
function offsetInZone(text: string, zone: string, wall: number): number {
  let format: Intl.DateTimeFormat
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
  } catch {
    throw new RecoveryTimeError(
      `recovery target time "${text}": time zone "${zone}" is unknown; use an IANA zone name or an offset such as +02`
    )
  }
  const offsetAt = (utc: number): number => {
    const parts = Object.fromEntries(format.formatToParts(new Date(utc)).map((part) => [part.type, part.value]))
    const local = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second)
    )
    return Math.round((local - (utc - (utc % 1000 + 1000) % 1000)) / 60_000)
  }
  // As PostgreSQL does: a wall time in a skipped hour is read with the offset before the change, one
  // in a repeated hour with the offset after it (the later instant, standard time).
  const day = 86_400_000
  const before = offsetAt(wall - day)
  const after = offsetAt(wall + day)
  const fits = (offset: number): boolean => offsetAt(wall - offset * 60_000) === offset
  if (fits(before) && fits(after)) {
    return after
  }
  if (fits(before)) {
    return before
  }
  if (fits(after)) {
    return after
  }
  return before
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  const hours = pad(Math.floor(abs / 60))
  const rest = abs % 60
  return rest === 0 ? `${sign}${hours}` : `${sign}${hours}:${pad(rest)}`
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0')
}
