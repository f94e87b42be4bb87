// runPitr as a library on PostgreSQL 16 (the CLI suite covers every target on 13-18): a tar backup,
// recovery_target_action = shutdown, a second recovery over the first (moved aside, files given
// to its owner), and, as root, a data directory only root owns refused at the start.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { commandLine } from '@tidemark/recovery'
import {
  chownTree,
  embeddedBinDir,
  freePort,
  runAs,
  scratchDir,
  serverOsUser,
  startCluster,
  stopAllClusters,
  switchWal,
  type Cluster,
} from '@tidemark/test-fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runBaseBackup } from './basebackup.js'
import { BackupUsageError } from './errors.js'
import { runPitr } from './pitr.js'
import type { PitrOptions } from './pitr-options.js'
import { backupRequest } from './testing/backup-request.js'

const ARCHIVE_COMMAND_DIR = fileURLToPath(new URL('../../../apps/archive-command/', import.meta.url))
const WAL_BIN = join(ARCHIVE_COMMAND_DIR, 'bin', 'tidemark-wal.js')
const MAJOR = 16

let cluster: Cluster
let repo: string
let backup: string
let base: string

async function value(sql: string): Promise<string> {
  const [row] = await cluster.query<{ v: string }>(sql)
  return row?.v ?? ''
}

beforeAll(async () => {
  if (!existsSync(join(ARCHIVE_COMMAND_DIR, 'dist', 'main.js'))) {
    execFileSync(process.execPath, ['build.mjs'], { cwd: ARCHIVE_COMMAND_DIR, stdio: 'pipe' })
  }
  repo = scratchDir('pitr-engine-repo')
  chownTree(repo, serverOsUser())
  cluster = await startCluster({ major: MAJOR, archiveCommand: `${process.execPath} ${WAL_BIN} push --repo ${repo} %p %f` })
  await cluster.query(`CREATE TABLE t (id int PRIMARY KEY)`)
  await cluster.query(`INSERT INTO t SELECT generate_series(1, 10)`)
  backup = join(scratchDir('pitr-engine-backup'), 'backup')
  await runBaseBackup(backupRequest(cluster, backup, { format: 'tar', walMethod: 'stream' }))
  await cluster.query(`INSERT INTO t SELECT generate_series(11, 20)`)
  await cluster.query(`SELECT pg_create_restore_point('rp')`)
  await cluster.query(`INSERT INTO t SELECT generate_series(21, 30)`)
  const segment = await value(`SELECT pg_walfile_name('${await switchWal(cluster)}'::pg_lsn) AS v`)
  for (let i = 0; (await value(`SELECT coalesce(last_archived_wal, '') AS v FROM pg_stat_archiver`)) < segment; i += 1) {
    expect(i).toBeLessThan(600)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  base = scratchDir('pitr-engine-data')
  chownTree(base, serverOsUser())
}, 120_000)

afterAll(stopAllClusters)

function request(dataDir: string, overrides: Partial<PitrOptions> = {}): PitrOptions {
  return {
    backup,
    dataDir,
    repo,
    restoreCommand: commandLine([process.execPath, WAL_BIN, 'get', '--repo', repo], ['%f', '%p']),
    target: { targetName: 'rp', targetAction: 'shutdown' },
    start: true,
    pgBin: embeddedBinDir(MAJOR),
    sync: false,
    ...overrides,
  }
}

describe('runPitr (PostgreSQL 16, tar backup)', () => {
  it('shuts down at the target and says so; a second recovery moves the first aside and gives the files to its owner', async () => {
    const dataDir = join(base, 'data')
    const first = await runPitr(request(dataDir, { port: await freePort() }))
    expect(first.stop).toMatchObject({ reason: 'shutdown-at-target', running: false })
    expect(first.stop?.logLine).toContain('recovery stopping at restore point "rp"')
    expect(first.preflight.timelines).toEqual([1])
    expect(first.asideDir).toBeUndefined()

    const second = await runPitr(request(dataDir, { port: await freePort(), target: { targetName: 'rp', targetAction: 'promote' } }))
    expect(second.stop).toMatchObject({ reason: 'promoted-at-target', running: true, timeline: 2 })
    expect(second.asideDir).toBeDefined()
    expect(readdirSync(join(second.asideDir ?? '', 'data'))).toContain('PG_VERSION')
    expect(statSync(join(dataDir, 'postgresql.auto.conf')).uid).toBe(serverOsUser().uid)
    const bin = embeddedBinDir(MAJOR)
    await runAs(serverOsUser(), join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w'], { env: { LD_LIBRARY_PATH: join(bin, '..', 'lib') } })
  })

  it('as root, refuses to start a data directory nobody but root owns, and says so', async (context) => {
    if (process.getuid?.() !== 0) {
      console.warn('not root: the root-owned data directory case does not apply')
      context.skip()
      return
    }
    const rootOwned = scratchDir('pitr-engine-root')
    mkdirSync(join(rootOwned, 'parent'))
    const failure = await runPitr(request(join(rootOwned, 'parent', 'data'))).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(BackupUsageError)
    expect((failure as Error).message).toMatch(/owned by root and PostgreSQL refuses to run as root/)
    expect(readdirSync(join(rootOwned, 'parent'))).toEqual([])
  })
})
