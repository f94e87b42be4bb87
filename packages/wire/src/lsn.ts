// Log sequence numbers as the server prints them (`16/B374D848`) and as 64-bit integers.
import { ProtocolError } from './errors.js'

/** A WAL position: an unsigned 64-bit integer. */
export type Lsn = bigint

const LSN_PATTERN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/
const HIGH_SHIFT = 32n
const LOW_MASK = 0xffffffffn

/** Parses `X/X`; throws ProtocolError on anything else (the text always comes from the server). */
export function parseLsn(text: string): Lsn {
  const match = LSN_PATTERN.exec(text)
  if (!match || match[1] === undefined || match[2] === undefined) {
    throw new ProtocolError(`invalid WAL position ${JSON.stringify(text.slice(0, 40))}`)
  }
  return (BigInt(`0x${match[1]}`) << HIGH_SHIFT) | BigInt(`0x${match[2]}`)
}

/** Formats as the server does: upper-case hex halves without leading zeros. */
export function formatLsn(lsn: Lsn): string {
  return `${((lsn >> HIGH_SHIFT) & LOW_MASK).toString(16).toUpperCase()}/${(lsn & LOW_MASK).toString(16).toUpperCase()}`
}
