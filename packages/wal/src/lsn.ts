// Log sequence numbers: 64-bit byte positions in the WAL stream, written X/Y (two hex halves).
import { LsnError } from './errors.js'

/** An LSN as an unsigned 64-bit integer. */
export type Lsn = bigint

export const MAX_LSN: Lsn = 0xffff_ffff_ffff_ffffn
export const INVALID_LSN: Lsn = 0n

const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/

/** Parses `X/Y` (1–8 hex digits each side, any case, as PostgreSQL and openGauss print it). */
export function parseLsn(text: string): Lsn {
  const match = LSN_TEXT.exec(text.trim())
  if (!match) {
    throw new LsnError(`"${text}" is not an LSN; expected two hexadecimal numbers such as 0/16B3748`)
  }
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`)
}

/** Whether text parses as an LSN. */
export function isLsn(text: string): boolean {
  return LSN_TEXT.test(text.trim())
}

/** Formats as PostgreSQL's `%X/%X`: upper-case hex, no padding (`0/16B3748`). */
export function formatLsn(lsn: Lsn): string {
  assertLsn(lsn)
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffff_ffffn).toString(16).toUpperCase()}`
}

/** Throws unless lsn is within 0 … 2^64-1. */
export function assertLsn(lsn: Lsn): void {
  if (lsn < 0n || lsn > MAX_LSN) {
    throw new LsnError(`${lsn} is outside the LSN range 0 … 2^64-1`)
  }
}

/** The number of WAL bytes from `from` to `to` (negative when `to` is earlier), like pg_wal_lsn_diff. */
export function lsnDiff(to: Lsn, from: Lsn): bigint {
  return to - from
}

/** lsn + bytes, refusing to leave the LSN range. */
export function lsnAdd(lsn: Lsn, bytes: bigint | number): Lsn {
  const result = lsn + BigInt(bytes)
  assertLsn(result)
  return result
}

/** -1, 0 or 1, for sorting. */
export function compareLsn(a: Lsn, b: Lsn): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0
}
