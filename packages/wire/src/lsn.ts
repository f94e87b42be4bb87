// Log sequence numbers as the server prints them (`16/B374D848`) and as 64-bit integers: the
// arithmetic is @tidemark/wal's; text from the server that is not an LSN is a protocol violation.
import { formatLsn, isLsn, parseLsn as parseWalLsn, type Lsn } from '@tidemark/wal'
import { ProtocolError } from './errors.js'

export { formatLsn }
export type { Lsn }

/** Parses `X/X`; throws ProtocolError on anything else (the text always comes from the server). */
export function parseLsn(text: string): Lsn {
  if (!isLsn(text) || text.trim() !== text) {
    throw new ProtocolError(`invalid WAL position ${JSON.stringify(text.slice(0, 40))}`)
  }
  return parseWalLsn(text)
}
