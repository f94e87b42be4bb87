import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { commandLine, quoteGucValue } from '@tidemark/recovery'
import {
  chownTree,
  scratchDir,
  serverOsUser,
  startCluster,
  startExistingCluster,
  stopAllClusters,
  testMajors,
  type Cluster,
  type PgMajor,
} from '@tidemark/test-fixtures'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../cli.js'
import { fakeIo } from '../testing/fake-io.js'
import { findTidemarkWal } from '../tidemark-wal-path.js'

afterAll(stopAllClusters)

// Not UTC: a target time without a zone must be read in this zone, or recovery lands 5.5 hours off.
const SERVER_ZONE = 'Asia/Kolkata'

async function value<T>(cluster: Cluster, sql: string): Promise<T> {
  const [row] = await cluster.query<{ value: T }>(sql)
  return row?.value as T
}

async function waitUntil(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (await check()) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/**
 * A cold copy of a cluster that archives with `tidemark-wal push` into a repository whose path has a
 * space, then 5 more rows, a time (wall clock in SERVER_ZONE, without a zone), 5 more rows.
 */
async function coldCopyWithTime(major: PgMajor): Promise<{ dataDir: string; repo: string; time: string }> {
  const base = scratchDir(`cli-recovery-pg${major}`)
  const repo = join(base, 'wal repo')
  mkdirSync(repo)
  chownTree(base, serverOsUser())
  const push = commandLine([process.execPath, findTidemarkWal(), 'push', '--repo', repo], ['%p', '%f'])
  const cluster = await startCluster({
    major,
    conf: [`timezone = '${SERVER_ZONE}'`, 'archive_mode = on', `archive_command = ${quoteGucValue(push)}`],
  })
  try {
    await cluster.query(`CREATE TABLE t (id int)`)
    await cluster.query(`INSERT INTO t SELECT generate_series(1, 5)`)
    await cluster.stop({ mode: 'fast', keepFiles: true })
    const dataDir = join(base, 'copy')
    execFileSync('cp', ['-a', cluster.dataDir, dataDir])
    await cluster.start()
    await cluster.query(`INSERT INTO t SELECT generate_series(6, 10)`)
    const time = await value<string>(
      cluster,
      `SELECT to_char(clock_timestamp() AT TIME ZONE '${SERVER_ZONE}', 'YYYY-MM-DD HH24:MI:SS.US') AS value`
    )
    await cluster.query(`INSERT INTO t SELECT generate_series(11, 15)`)
    const segment = await value<string>(cluster, `SELECT pg_walfile_name(pg_switch_wal()) AS value`)
    await waitUntil('the archiver', async () => ((await value<string | null>(cluster, 'SELECT last_archived_wal AS value FROM pg_stat_archiver')) ?? '') >= segment)
    return { dataDir, repo, time }
  } finally {
    await cluster.stop({ mode: 'immediate' })
  }
}

describe.each(testMajors())('tidemark recovery-config on PostgreSQL %i', (major) => {
  it('points restore_command at tidemark-wal get --repo and lands on a zone-less target time read in the server zone', async () => {
    const copy = await coldCopyWithTime(major)
    const io = fakeIo()
    const exitCode = await runCli(
      ['recovery-config', '-D', copy.dataDir, '--target-time', copy.time, '--target-action', 'promote', '--repo', copy.repo],
      io
    )
    const out = io.out.join('')
    expect(io.err.join('')).toBe('')
    expect(exitCode).toBe(0)
    expect(out).toContain(`the target time has no zone: read in ${SERVER_ZONE} (the server's timezone, from postgresql.conf)`)
    const written = /recovery_target_time = '([^']+)'/.exec(out)?.[1] ?? ''
    expect(written).toBe(`${copy.time}+05:30`)

    const cluster = await startExistingCluster({ major, dataDir: copy.dataDir, removeOnStop: true })
    try {
      await waitUntil('promotion', async () => !(await value<boolean>(cluster, 'SELECT pg_is_in_recovery() AS value')))
      expect(Number(await value<string>(cluster, 'SELECT count(*)::text AS value FROM t'))).toBe(10)
      expect(await value<string>(cluster, `SELECT current_setting('recovery_target_time') AS value`)).toBe(written)
      const restoreCommand = await value<string>(cluster, `SELECT current_setting('restore_command') AS value`)
      expect(restoreCommand).toMatch(/tidemark-wal\.js get --repo '.*\/wal repo' %f %p$/)
      const log = readFileSync(cluster.logFile, 'utf8')
      expect(log).toMatch(/restored log file "0000000100000000000000\d\d" from archive/)
      expect(log).toMatch(/recovery stopping before commit of transaction \d+, time/)
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${cluster.logTail(40)}`, { cause: error })
    } finally {
      await cluster.stop()
    }
  })
})
