import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chownTree, scratchDir, serverOsUser, startCluster, type PgMajor } from '@tidemark/test-fixtures'
import { quoteGucValue } from '../guc-quote.js'
import { commandWord } from '../shell-quote.js'

/** A stopped copy of a cluster's data directory (a cold backup) and an archive whose WAL holds a restore point after it. */
export interface RestorePointCopy {
  readonly major: PgMajor
  readonly dataDir: string
  /** Holds the archived WAL; its name has a space and a single quote in it. */
  readonly archiveDir: string
  readonly restorePoint: string
  /** Rows of table t before the restore point (more were added after it). */
  readonly rowsAtRestorePoint: number
  readonly rowsAtEnd: number
  /** The transaction that added the rows after the restore point. */
  readonly lastXid: string
  /** The insert position just after the restore point, before that transaction. */
  readonly lsnAfterRestorePoint: string
}

/**
 * A cold backup and the WAL after it: runs a cluster that archives into a directory with a space and a quote in
 * its name, sets work_mem with ALTER SYSTEM (a user setting in postgresql.auto.conf), adds 5 rows,
 * stops cleanly and copies the data directory; then starts the cluster again, adds 5 rows, creates a
 * restore point, adds 5 more, switches WAL, waits for the archiver and stops. Recovery of the copy
 * with a name target stops at the restore point with 10 rows.
 */
export async function restorePointCopy(major: PgMajor, restorePoint = 'rp1'): Promise<RestorePointCopy> {
  const base = scratchDir(`recovery-pg${major}`)
  const archiveDir = join(base, "wal archive's")
  mkdirSync(archiveDir)
  chownTree(base, serverOsUser())
  // Not the fixture's archiveCommand option: it doubles quotes but leaves backslashes, which a quoted path has.
  const archiveCommand = `cp %p ${commandWord(archiveDir)}/%f`
  const cluster = await startCluster({ major, conf: ['archive_mode = on', `archive_command = ${quoteGucValue(archiveCommand)}`] })
  try {
    await cluster.query(`ALTER SYSTEM SET work_mem = '7MB'`)
    await cluster.query(`CREATE TABLE t (id int)`)
    await cluster.query(`INSERT INTO t SELECT generate_series(1, 5)`)
    await cluster.stop({ mode: 'fast', keepFiles: true })
    const dataDir = join(base, 'copy')
    execFileSync('cp', ['-a', cluster.dataDir, dataDir])
    await cluster.start()
    await cluster.query(`INSERT INTO t SELECT generate_series(6, 10)`)
    await cluster.query(`SELECT pg_create_restore_point($1)`, [restorePoint])
    const [position] = await cluster.query<{ lsn: string }>(`SELECT pg_current_wal_insert_lsn()::text AS lsn`)
    const [last] = await cluster.query<{ xid: string }>(
      `WITH added AS (INSERT INTO t SELECT generate_series(11, 15) RETURNING id) SELECT txid_current()::text AS xid`
    )
    const [switched] = await cluster.query<{ name: string }>(`SELECT pg_walfile_name(pg_switch_wal()) AS name`)
    await waitForArchive(cluster.query.bind(cluster), switched?.name ?? '')
    return {
      major,
      dataDir,
      archiveDir,
      restorePoint,
      rowsAtRestorePoint: 10,
      rowsAtEnd: 15,
      lastXid: last?.xid ?? '',
      lsnAfterRestorePoint: position?.lsn ?? '',
    }
  } finally {
    await cluster.stop({ mode: 'immediate' })
  }
}

type Query = <Row extends Record<string, unknown>>(sql: string) => Promise<Row[]>

async function waitForArchive(query: Query, segment: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const [row] = await query<{ last: string | null }>(`SELECT last_archived_wal AS last FROM pg_stat_archiver`)
    if (row?.last && row.last >= segment) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`WAL segment ${segment} was not archived within 60 s`)
}

/** Polls until check() returns true (or throws after `ms`). */
export async function waitUntil(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await check()) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`timed out waiting for ${what}`)
}
