import { formatLsn, isLsn, parseLsn } from '@tidemark/wal'
import { RecoveryLsnError } from './errors.js'

/** Checks an `X/Y` hexadecimal LSN and returns it in upper case without leading zeros (`0/16B3F28`). */
export function normalizeLsn(text: string): string {
  if (!isLsn(text)) {
    throw new RecoveryLsnError(text)
  }
  return formatLsn(parseLsn(text))
}
