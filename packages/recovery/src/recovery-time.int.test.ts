import { withCluster } from '@tidemark/test-fixtures'
import { describe, expect, it } from 'vitest'
import { parseRecoveryTime } from './recovery-time.js'

// Wall-clock times a user may give without a zone, including skipped and repeated hours of
// daylight-saving changes in both hemispheres.
const CASES: ReadonlyArray<readonly [string, string]> = [
  ['2018-03-11 02:30:00', 'America/New_York'],
  ['2018-11-04 01:30:00', 'America/New_York'],
  ['2026-03-29 02:30:00', 'Europe/Berlin'],
  ['2026-10-25 02:30:00', 'Europe/Berlin'],
  ['2026-04-05 02:30:00', 'Australia/Sydney'],
  ['2026-10-04 02:30:00', 'Australia/Sydney'],
  ['2026-07-01 12:00:00.123456', 'Asia/Kolkata'],
  ['2026-01-15 23:59:59.999999', 'Pacific/Chatham'],
]

describe('parseRecoveryTime against PostgreSQL 16', () => {
  it('gives the instant PostgreSQL reads for the same wall time in the same zone', async () => {
    await withCluster({ major: 16 }, async (cluster) => {
      for (const [wall, zone] of CASES) {
        const [server] = await cluster.query<{ utc: string }>(
          `SELECT to_char(($1::timestamp AT TIME ZONE $2) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS utc`,
          [wall, zone]
        )
        const ours = parseRecoveryTime(wall, zone)
        const [rendered] = await cluster.query<{ utc: string }>(
          `SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS utc`,
          [ours.text]
        )
        expect(`${wall} ${zone} → ${rendered?.utc}`).toBe(`${wall} ${zone} → ${server?.utc}`)
      }
    })
  })
})
