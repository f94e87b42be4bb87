// `npm run demo`: the main job end to end on an embedded PostgreSQL in a temporary directory. WAL is
// archived with tidemark-wal; `tidemark basebackup`; more rows, a restore point, then a mistake;
// `tidemark pitr --start` to the restore point; the rows are checked; `tidemark resume` ends
// recovery. Every server it started is stopped and the directory removed, also on failure.
import { join } from 'node:path'
import {
  SUPPORTED_MAJORS,
  chownTree,
  embeddedBinDir,
  freePort,
  runAs,
  runDir,
  scratchDir,
  serverOsUser,
  startCluster,
  stopAllClusters,
  sweepRunDir,
  switchWal,
  type Cluster,
  type PgMajor,
} from '@tidemark/test-fixtures'
import type { ConnectionParameters } from '@tidemark/wire'
import { findTidemarkWal } from '../tidemark-wal-path.js'
import { runTidemark, type BinRun } from './demo-bins.js'
import { queryValue, waitUntil } from './demo-sql.js'

export interface DemoIo {
  /** A line of the demo's own narration. */
  say(line: string): void
  /** A line of a command's output, shown indented. */
  echo(line: string): void
}

const RESTORE_POINT = 'before-the-mistake'

async function value(cluster: Cluster, sql: string): Promise<string> {
  const [row] = await cluster.query<{ v: string }>(sql)
  return row?.v ?? ''
}

function expectRun(run: BinRun, what: string): void {
  if (run.code !== 0) {
    throw new Error(`${what} failed with exit status ${run.code}`)
  }
}

function check(condition: boolean, what: string): void {
  if (!condition) {
    throw new Error(`check failed: ${what}`)
  }
}

class Demo {
  readonly major: PgMajor = SUPPORTED_MAJORS[SUPPORTED_MAJORS.length - 1] as PgMajor
  readonly io: DemoIo
  readonly proved: string[] = []
  recoveredDataDir: string | undefined

  constructor(io: DemoIo) {
    this.io = io
  }

  async run(): Promise<void> {
    const { io, major } = this
    const started = Date.now()
    const osUser = serverOsUser()
    const repo = scratchDir('demo-repo')
    chownTree(repo, osUser)
    const wal = findTidemarkWal()
    io.say(`1. starting an embedded PostgreSQL ${major} (OS user ${osUser.name}) that archives WAL with:`)
    const archiveCommand = `${process.execPath} ${wal} push --repo ${repo} %p %f`
    io.echo(`archive_command = '${archiveCommand}'`)
    const cluster = await startCluster({ major, archiveCommand })
    await cluster.query(`CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL, placed timestamptz NOT NULL DEFAULT now())`)
    await cluster.query(`INSERT INTO orders (id, item) SELECT g, 'order ' || g FROM generate_series(1, 1000) AS g`)
    io.say('   made 1000 orders')

    const backup = join(scratchDir('demo-backup'), 'backup')
    io.say('2. tidemark basebackup:')
    expectRun(
      await runTidemark(['basebackup', '-h', cluster.socketDir, '-p', String(cluster.port), '-U', 'postgres', '-D', backup, '-c', 'fast', '--verbose'], io.echo),
      'tidemark basebackup'
    )

    await cluster.query(`INSERT INTO orders (id, item) SELECT g, 'order ' || g FROM generate_series(1001, 1500) AS g`)
    await cluster.query(`SELECT pg_create_restore_point('${RESTORE_POINT}')`)
    await cluster.query(`DELETE FROM orders WHERE id % 3 = 0`)
    await cluster.query(`INSERT INTO orders (id, item) VALUES (9999, 'after the mistake')`)
    const switched = await switchWal(cluster)
    const segment = await value(cluster, `SELECT pg_walfile_name('${switched}'::pg_lsn) AS v`)
    await waitUntil(`${segment} is archived`, async () => (await value(cluster, `SELECT coalesce(last_archived_wal, '') AS v FROM pg_stat_archiver`)) >= segment)
    const live = await value(cluster, `SELECT count(*)::text AS v FROM orders`)
    io.say(`3. after the backup: 500 more orders, restore point '${RESTORE_POINT}', then a mistake (deleted every third order)`)
    io.say(`   and one more order; the live server now has ${live} orders; WAL archived up to ${segment}`)

    const base = scratchDir('demo-recovered')
    chownTree(base, osUser)
    const dataDir = join(base, 'data')
    this.recoveredDataDir = dataDir
    const port = await freePort()
    io.say(`4. tidemark pitr to '${RESTORE_POINT}' into a new data directory on port ${port}, with --start:`)
    expectRun(
      await runTidemark(
        ['pitr', '--backup', backup, '-D', dataDir, '--repo', repo, '--target-name', RESTORE_POINT, '--start', '--pg-bin', embeddedBinDir(major), '--port', String(port)],
        io.echo
      ),
      'tidemark pitr'
    )
    const recovered: ConnectionParameters = { host: cluster.socketDir, port, user: 'postgres', database: 'postgres', env: {} }
    const count = await queryValue(recovered, `SELECT count(*)::text AS v FROM orders`)
    const thirds = await queryValue(recovered, `SELECT count(*)::text AS v FROM orders WHERE id % 3 = 0`)
    const late = await queryValue(recovered, `SELECT count(*)::text AS v FROM orders WHERE id = 9999`)
    io.say(`5. the recovered server holds ${count} orders, ${thirds} of them the deleted ones, and ${late} made after the mistake`)
    check(count === '1500' && thirds === '500' && late === '0', 'the recovered server holds orders 1-1500 and nothing after the restore point')
    this.proved.push('the recovered data is exactly the state at the restore point: 1500 orders, the 500 deleted ones back, the later order absent')

    io.say('6. tidemark resume (ends the pause at the target; the server leaves recovery):')
    expectRun(await runTidemark(['resume', '-h', cluster.socketDir, '-p', String(port), '-U', 'postgres'], io.echo), 'tidemark resume')
    const inRecovery = await queryValue(recovered, 'SELECT pg_is_in_recovery()::text AS v')
    check(inRecovery === 'false', 'the recovered server left recovery')
    await queryValue(recovered, `INSERT INTO orders (id, item) VALUES (1501, 'written after recovery') RETURNING 'ok' AS v`)
    this.proved.push('after tidemark resume the recovered server accepts writes on a new timeline')
    this.proved.push(`the live server was never touched (${live} orders); it took ${Math.round((Date.now() - started) / 1000)} s`)
  }

  async cleanUp(): Promise<void> {
    if (this.recoveredDataDir !== undefined) {
      const bin = embeddedBinDir(this.major)
      await runAs(serverOsUser(), join(bin, 'pg_ctl'), ['stop', '-D', this.recoveredDataDir, '-m', 'fast', '-w'], {
        env: { LD_LIBRARY_PATH: join(bin, '..', 'lib') },
      }).catch(() => undefined)
    }
    await stopAllClusters()
    // Stops anything left under the demo's directory and removes it.
    await sweepRunDir(runDir())
  }
}

/** Runs the demo; true when every check passed. Servers and files are always cleaned up. */
export async function runDemo(io: DemoIo): Promise<boolean> {
  const demo = new Demo(io)
  try {
    await demo.run()
    io.say('')
    io.say('what this proved:')
    for (const line of demo.proved) {
      io.say(`  - ${line}`)
    }
    return true
  } catch (error) {
    io.say(`demo failed: ${(error as Error).message}`)
    return false
  } finally {
    await demo.cleanUp()
    io.say('stopped every server the demo started and removed its files')
  }
}
