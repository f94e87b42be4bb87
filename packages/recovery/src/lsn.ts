import { RecoveryLsnError } from './errors.js'

// A small local validator: recovery only needs to check and normalize the text form. When
// @tidemark/wal's LSN parser exists, this can delegate to it.
const LSN_PATTERN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/

/** Checks an `X/Y` hexadecimal LSN and returns it in upper case without leading zeros (`0/16B3F28`). */
export function normalizeLsn(text: string): string {
  const match = LSN_PATTERN.exec(text.trim())
  if (!match) {
    throw new RecoveryLsnError(text)
  }
  const high = Number.parseInt(match[1] ?? '', 16)
  const low = Number.parseInt(match[2] ?? '', 16)
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`
}
