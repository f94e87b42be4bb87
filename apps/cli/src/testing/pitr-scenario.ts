// The history a PITR test recovers: a server archiving through tidemark-wal into a repository, a
// `tidemark basebackup`, then numbered batches of rows with a time, a restore point, an xid and an
// LSN between them, all archived. Plus running `tidemark` in-process and reading the rows back.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  chownTree,
  embeddedBinDir,
  freePort,
  runAs,
  scratchDir,
  serverOsUser,
  startCluster,
  switchWal,
  type Cluster,
  type PgMajor,
} from '@tidemark/test-fixtures'
import { columnValue, connect, type ConnectionParameters } from '@tidemark/wire'
import { runCli } from '../cli.js'
import { findTidemarkWal } from '../tidemark-wal-path.js'
import { fakeIo } from './fake-io.js'

const ARCHIVE_COMMAND_DIR = fileURLToPath(new URL('../../../archive-command/', import.meta.url))

/** Bundles tidemark-wal's dist/main.js when it is missing (esbuild, a fraction of a second). */
export function ensureWalBundle(): void {
  if (!existsSync(join(ARCHIVE_COMMAND_DIR, 'dist', 'main.js'))) {
    execFileSync(process.execPath, ['build.mjs'], { cwd: ARCHIVE_COMMAND_DIR, stdio: 'pipe' })
  }
}

export interface CliRun {
  readonly out: string
  readonly err: string
  readonly exitCode: number
}

export async function tidemark(argv: readonly string[]): Promise<CliRun> {
  const io = fakeIo()
  const exitCode = await runCli([...argv], io)
  return { out: io.out.join(''), err: io.err.join(''), exitCode }
}

export interface Scenario {
  readonly major: PgMajor
  readonly cluster: Cluster
  readonly repo: string
  readonly backup: string
  /** Where recovered data directories go (owned by the server's OS user). */
  readonly base: string
  /** Between batch 2 (ids 11-20) and batch 3 (21-30). */
  readonly time: string
  /** The restore point after batch 2. */
  readonly restorePoint: string
  /** The transaction of batch 3. */
  readonly xid: string
  /** Between batch 3 and batch 4 (31-40). */
  readonly lsn: string
}

async function insert(cluster: Cluster, from: number, to: number): Promise<void> {
  await cluster.query(`INSERT INTO t SELECT g, 'row ' || g FROM generate_series($1::int, $2::int) AS g`, [from, to])
}

async function one(cluster: Cluster, sql: string): Promise<string> {
  const [row] = await cluster.query<{ v: string }>(sql)
  return row?.v ?? ''
}

/** Polls a server's pg_stat_archiver until segment (or a later one) is archived. */
export async function waitArchived(query: (sql: string) => Promise<string>, segment: string): Promise<void> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const last = await query(`SELECT coalesce(last_archived_wal, '') || '/' || failed_count AS v FROM pg_stat_archiver`)
    const [name = '', failed = '0'] = last.split('/')
    if (failed !== '0') {
      throw new Error(`archive_command failed (last archived ${name})`)
    }
    if (name.slice(0, 24) >= segment && name.length >= 24) {
      return
    }
    if (Date.now() > deadline) {
      throw new Error(`${segment} was not archived within 60 s (last ${name})`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Makes the scenario on a fresh server of `major`. */
export async function makeScenario(major: PgMajor): Promise<Scenario> {
  const osUser = serverOsUser()
  const repo = scratchDir('pitr-repo')
  chownTree(repo, osUser)
  const wal = findTidemarkWal()
  const cluster = await startCluster({ major, archiveCommand: `${process.execPath} ${wal} push --repo ${repo} %p %f` })
  await cluster.query(`CREATE TABLE t (id int PRIMARY KEY, label text NOT NULL)`)
  await insert(cluster, 1, 10)
  const backup = join(scratchDir('pitr-backup'), 'backup')
  const taken = await tidemark(['basebackup', '-h', cluster.socketDir, '-p', String(cluster.port), '-U', 'postgres', '-D', backup, '-c', 'fast'])
  if (taken.exitCode !== 0) {
    throw new Error(`basebackup failed: ${taken.err}`)
  }
  await insert(cluster, 11, 20)
  const time = await one(cluster, `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS v`)
  await cluster.query(`SELECT pg_create_restore_point('rp1')`)
  const xid = await one(
    cluster,
    `WITH ins AS (INSERT INTO t SELECT g, 'row ' || g FROM generate_series(21, 30) AS g RETURNING 1) SELECT txid_current()::text || '/' || count(*) AS v FROM ins`
  )
  const lsn = await one(cluster, `SELECT pg_current_wal_insert_lsn()::text AS v`)
  await insert(cluster, 31, 40)
  const switched = await switchWal(cluster)
  const segment = await one(cluster, `SELECT pg_walfile_name('${switched}'::pg_lsn) AS v`)
  await waitArchived((sql) => one(cluster, sql), segment)
  const base = scratchDir('pitr-data')
  chownTree(base, osUser)
  return { major, cluster, repo, backup, base, time, restorePoint: 'rp1', xid: xid.split('/')[0] ?? '', lsn }
}

let recoveries = 0

export interface Recovered extends CliRun {
  readonly dataDir: string
  readonly port: number
}

/** `tidemark pitr --start` of the scenario's backup into a fresh data directory, on a free port. */
export async function pitr(scenario: Scenario, args: readonly string[], repo = scenario.repo): Promise<Recovered> {
  recoveries += 1
  const dataDir = join(scenario.base, `data-${recoveries}`)
  const port = await freePort()
  const run = await tidemark([
    'pitr', '--backup', scenario.backup, '-D', dataDir, '--repo', repo, '--start',
    '--pg-bin', embeddedBinDir(scenario.major), '--port', String(port), ...args,
  ])
  return { ...run, dataDir, port }
}

/** Connection parameters of a recovered server (its socket directory is the scenario server's). */
export function recoveredConnection(scenario: Scenario, port: number): ConnectionParameters {
  return { host: scenario.cluster.socketDir, port, user: 'postgres', database: 'postgres', env: {} }
}

/** One value of a query on a recovered server. */
export async function queryRecovered(scenario: Scenario, port: number, sql: string): Promise<string> {
  const connection = await connect(recoveredConnection(scenario, port))
  try {
    const [result] = await connection.query(sql)
    return result ? (columnValue(result, 0, 'v') ?? '') : ''
  } finally {
    await connection.close()
  }
}

/** The ids a recovered server holds: `count/max`. */
export function rowsOf(scenario: Scenario, port: number): Promise<string> {
  return queryRecovered(scenario, port, `SELECT count(*) || '/' || coalesce(max(id), 0) AS v FROM t`)
}

/** Stops a recovered server (as its OS user). */
export async function stopRecovered(scenario: Scenario, dataDir: string): Promise<void> {
  const bin = embeddedBinDir(scenario.major)
  await runAs(serverOsUser(), join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w'], {
    env: { LD_LIBRARY_PATH: join(bin, '..', 'lib') },
  })
}
