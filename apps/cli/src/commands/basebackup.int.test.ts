import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createSampleTable,
  scratchDir,
  startCluster,
  startExistingCluster,
  stopAllClusters,
  tableDigest,
  type Cluster,
} from '@tidemark/test-fixtures'
import { ensureBuilt, runTidemark } from '../testing/cli-process.js'

beforeAll(ensureBuilt)
afterAll(stopAllClusters)

const connection = (cluster: Cluster): string[] => ['-h', cluster.socketDir, '-p', String(cluster.port), '-U', 'postgres']

async function waitFor(condition: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time')
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function backupRunning(cluster: Cluster): Promise<boolean> {
  const rows = await cluster.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_stat_activity WHERE backend_type = 'walsender'`)
  return Number(rows[0]?.n) > 0
}

describe('tidemark basebackup, the command', () => {
  let cluster: Cluster
  beforeAll(async () => {
    cluster = await startCluster({ major: 17 })
    await createSampleTable(cluster, 'rows', 20_000)
    // ~64 MB that does not compress, so a rate-limited backup runs long enough to interrupt.
    await cluster.query(`CREATE TABLE noise AS SELECT g, decode(string_agg(md5(random()::text || g || i), ''), 'hex') AS b
                           FROM generate_series(1, 8000) g, generate_series(1, 256) i GROUP BY g`)
  })

  it('prints the INFO line, pg_basebackup progress lines and verbose phases, with flat memory', async () => {
    const target = join(scratchDir('cli-bb'), 'backup')
    const run = runTidemark(['basebackup', '-D', target, '-F', 'tar', '-z', '-P', '-v', '-c', 'fast', ...connection(cluster)])
    expect(await run.exit).toBe(0)
    const stderr = run.stderr()
    expect(stderr).toMatch(/^INFO: {2}The starting position of the xlog of the full build is: [0-9A-F]+\/[0-9A-F]+\. The slot minimum LSN is: [0-9A-F]+\/[0-9A-F]+\.$/m)
    expect(stderr).toMatch(/^ *\d+\/\d+ kB \(100%\), 1\/1 tablespace\ntidemark: write-ahead log end point/m)
    expect(stderr).toMatch(/^tidemark: write-ahead log start point: .* on timeline 1$/m)
    expect(stderr).toMatch(/^tidemark: created temporary replication slot "tidemark_\d+_[0-9a-f]+"$/m)
    expect(stderr).toMatch(/^tidemark: syncing data to disk \.\.\.$/m)
    expect(readdirSync(target).sort()).toEqual(['backup_manifest', 'base.tar.gz', 'pg_wal.tar.gz'])
    // Peak memory stays far below the data size, even compressing on two cores.
    expect(run.peakRss()).toBeLessThan(200 * 1024 * 1024)
  })

  it('stops both streams on SIGINT, removes what it created, exits 130, and leaves no slot', async () => {
    const target = join(scratchDir('cli-bb'), 'backup')
    const run = runTidemark(['basebackup', '-D', target, '-r', '2M', '-c', 'fast', ...connection(cluster)])
    await waitFor(() => existsSync(join(target, 'pg_wal')), 30_000)
    run.child.kill('SIGINT')
    expect(await run.exit).toBe(130)
    expect(run.stderr().trim().split('\n').at(-1)).toBe('tidemark: interrupted by SIGINT [TIDEMARK_ERR_CLI_INTERRUPTED]')
    expect(existsSync(target)).toBe(false)
    await waitFor(async () => !(await backupRunning(cluster)), 10_000)
    const slots = await cluster.query(`SELECT slot_name FROM pg_replication_slots`)
    expect(slots).toEqual([])
  })

  it('reports a lost connection with one line, exit 4, and removes the backup (or keeps it marked with --no-clean)', async () => {
    for (const keep of [false, true]) {
      const target = join(scratchDir('cli-bb'), 'backup')
      const run = runTidemark(['basebackup', '-D', target, '-r', '2M', '-c', 'fast', ...(keep ? ['--no-clean'] : []), ...connection(cluster)])
      await waitFor(() => existsSync(join(target, 'pg_wal')), 30_000)
      await cluster.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'walsender'`)
      expect(await run.exit).toBe(4)
      // The INFO line, then exactly one error line.
      const lines = run.stderr().trim().split('\n').filter((line) => !line.startsWith('INFO:'))
      expect(lines, run.stderr()).toHaveLength(1)
      expect(lines[0]).toMatch(/^tidemark: .*terminating connection.*\[TIDEMARK_ERR_[A-Z_]+\]$/)
      expect(existsSync(target)).toBe(keep)
      if (keep) {
        expect(readFileSync(join(target, 'TIDEMARK_BACKUP_INCOMPLETE'), 'utf8')).not.toBe('')
      }
    }
  })

  it('-R makes the copy start as a streaming standby of the server', async () => {
    const target = join(scratchDir('cli-bb'), 'backup')
    const run = runTidemark(['basebackup', '-D', target, '-R', '-c', 'fast', ...connection(cluster)])
    expect(await run.exit).toBe(0)
    expect(existsSync(join(target, 'standby.signal'))).toBe(true)
    expect(readFileSync(join(target, 'postgresql.auto.conf'), 'utf8')).toMatch(/primary_conninfo = '.*port=/)
    const standby = await startExistingCluster({ major: 17, dataDir: target })
    const [state] = await standby.query<{ recovery: boolean }>(`SELECT pg_is_in_recovery() AS recovery`)
    expect(state?.recovery).toBe(true)
    await cluster.query(`INSERT INTO rows SELECT g, 'late', 0, NULL FROM generate_series(100001, 100010) g`)
    await waitFor(async () => (await tableDigest(standby, 'rows')).rows === 20_010, 30_000)
    expect(await tableDigest(standby, 'rows')).toEqual(await tableDigest(cluster, 'rows'))
    await standby.stop()
  })
})
