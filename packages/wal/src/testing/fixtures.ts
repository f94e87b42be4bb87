// Golden WAL segments (real PostgreSQL 16 WAL, initdb --wal-segsize=1), stored gzipped.
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

const dir = new URL('../../test/fixtures/', import.meta.url)

/** A complete 1 MB segment: every page written (a recycled file holding segment 3's WAL). */
export const FULL_SEGMENT_NAME = '000000010000000000000003'
/** The segment initdb was writing when it stopped: its last 17 pages were never written. */
export const CURRENT_SEGMENT_NAME = '000000010000000000000005'
export const FIXTURE_SYSTEM_IDENTIFIER = '7711760346714048346'
export const FIXTURE_SEGMENT_SIZE = 1024 * 1024

export function fixtureSegment(name: typeof FULL_SEGMENT_NAME | typeof CURRENT_SEGMENT_NAME): Buffer {
  return gunzipSync(readFileSync(new URL(`pg16-1mb-${name}.gz`, dir)))
}
