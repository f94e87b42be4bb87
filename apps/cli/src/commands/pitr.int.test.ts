// `tidemark pitr` and `tidemark resume` end to end against real servers: every target type lands
// exactly (rows present and absent), inclusive true and false, the end of the archive, pause then
// resume, a target never reached, a gap and a target before the backup refused with nothing
// changed, and a second PITR after a promoted first one, on the timeline it named. The full set on
// testMajors(); one promote-at-a-restore-point recovery on every other major.
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { SUPPORTED_MAJORS, stopAllClusters, testMajors, type PgMajor } from '@tidemark/test-fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ensureWalBundle,
  makeScenario,
  pitr,
  queryRecovered,
  rowsOf,
  stopRecovered,
  tidemark,
  waitArchived,
  type Scenario,
} from '../testing/pitr-scenario.js'

beforeAll(ensureWalBundle)
afterAll(stopAllClusters)

const full = testMajors()

/** Every file of a repository, relative to it (segments sit in subdirectories). */
function archived(repo: string): string[] {
  return readdirSync(repo, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(repo.length + 1))
}
const cheap = (SUPPORTED_MAJORS as readonly PgMajor[]).filter((major) => !full.includes(major))

describe.each(full)('tidemark pitr on PostgreSQL %i', (major) => {
  let scenario: Scenario
  beforeAll(async () => {
    scenario = await makeScenario(major)
  }, 120_000)

  async function expectLanding(args: string[], rows: string, reason: RegExp): Promise<string> {
    const run = await pitr(scenario, args)
    expect(run.exitCode, run.err).toBe(0)
    expect(run.out).toMatch(reason)
    expect(await rowsOf(scenario, run.port)).toBe(rows)
    await stopRecovered(scenario, run.dataDir)
    return run.out
  }

  it('--target-immediate stops where the backup is consistent: batch 1 only', async () => {
    await expectLanding(['--target-immediate'], '10/10', /replay is paused/)
  })

  it('--target-xid with --target-inclusive false stops before that transaction, true just after it', async () => {
    await expectLanding(['--target-xid', scenario.xid, '--target-inclusive', 'false'], '20/20', /replay is paused/)
    await expectLanding(['--target-xid', scenario.xid, '--target-inclusive', 'true'], '30/30', /replay is paused/)
  })

  it('--target-time stops between the batches around that time', async () => {
    await expectLanding(['--target-time', scenario.time], '20/20', /replay is paused/)
  })

  it('--target-lsn stops at that WAL location and reports it', async () => {
    const out = await expectLanding(['--target-lsn', scenario.lsn, '--target-action', 'promote'], '30/30', /target was reached and the server was promoted/)
    expect(out).toMatch(/timeline 2/)
  })

  it('a target never reached ends at the end of WAL, says so and fails', async () => {
    const run = await pitr(scenario, ['--target-name', 'never-made', '--target-timeline', 'current'])
    expect(run.exitCode).toBe(4)
    expect(run.out).toMatch(/never reached: recovery ran out of WAL/)
    expect(run.err).toContain('[TIDEMARK_ERR_BACKUP_PITR_TARGET_NOT_REACHED]')
  })

  it('a gap in the archive is refused with the missing segment named and nothing changed', async () => {
    const gapRepo = join(dirname(scenario.repo), `${major}-gap-repo`)
    cpSync(scenario.repo, gapRepo, { recursive: true })
    const segments = archived(gapRepo).filter((path) => /^[0-9A-F]{24}$/.test(basename(path))).sort((a, b) => basename(a).localeCompare(basename(b)))
    const second = basename(segments[1] ?? '')
    rmSync(join(gapRepo, segments[1] ?? ''))
    const dataDir = join(scenario.base, 'untouched')
    mkdirSync(dataDir)
    writeFileSync(join(dataDir, 'marker'), 'mine')
    const run = await tidemark(['pitr', '--backup', scenario.backup, '-D', dataDir, '--repo', gapRepo])
    expect(run.exitCode).toBe(3)
    expect(run.err).toContain(second)
    expect(run.err).toContain('[TIDEMARK_ERR_BACKUP_PITR_WAL_GAP]')
    expect(readdirSync(dataDir)).toEqual(['marker'])
    expect(readdirSync(scenario.base).some((name) => name.startsWith('untouched.aside'))).toBe(false)

    const before = await tidemark(['pitr', '--backup', scenario.backup, '-D', dataDir, '--repo', scenario.repo, '--target-lsn', '0/1000000'])
    expect(before.exitCode).toBe(3)
    expect(before.err).toContain('[TIDEMARK_ERR_BACKUP_PITR_TARGET_BEFORE_BACKUP]')
    expect(readdirSync(dataDir)).toEqual(['marker'])
  })

  it('no target recovers to the end of the archive and promotes', async () => {
    await expectLanding(['--target-timeline', 'current'], '40/40', /no target: all archived WAL was replayed/)
  })

  it('pauses at a restore point, resumes with tidemark resume, and a second PITR lands on the timeline it named', async () => {
    const first = await pitr(scenario, ['--target-name', scenario.restorePoint, '--target-timeline', 'current'])
    expect(first.exitCode, first.err).toBe(0)
    expect(first.out).toMatch(/replay is paused/)
    expect(await rowsOf(scenario, first.port)).toBe('20/20')
    expect(await queryRecovered(scenario, first.port, 'SELECT pg_is_in_recovery()::text AS v')).toBe('true')

    const resumed = await tidemark(['resume', '-h', scenario.cluster.socketDir, '-p', String(first.port), '-U', 'postgres'])
    expect(resumed.exitCode, resumed.err).toBe(0)
    const timeline = Number(/timeline (\d+)/.exec(resumed.out)?.[1])
    expect(timeline).toBeGreaterThan(1)
    expect(await queryRecovered(scenario, first.port, 'SELECT pg_is_in_recovery()::text AS v')).toBe('false')

    // Life on the new timeline, archived into the same repository.
    await queryRecovered(scenario, first.port, `INSERT INTO t VALUES (1000, 'after the first pitr') RETURNING 'x' AS v`)
    const switched = await queryRecovered(scenario, first.port, `SELECT pg_walfile_name(pg_switch_wal()) AS v`)
    await waitArchived((sql) => queryRecovered(scenario, first.port, sql), switched)
    const history = `${timeline.toString(16).toUpperCase().padStart(8, '0')}.history`
    expect(archived(scenario.repo).map((path) => basename(path))).toContain(history)
    await stopRecovered(scenario, first.dataDir)

    const second = await pitr(scenario, ['--target-timeline', String(timeline)])
    expect(second.exitCode, second.err).toBe(0)
    expect(second.out).toMatch(/no target: all archived WAL was replayed/)
    expect(await rowsOf(scenario, second.port)).toBe('21/1000')
    expect(await queryRecovered(scenario, second.port, 'SELECT count(*)::text AS v FROM t WHERE id BETWEEN 21 AND 40')).toBe('0')
    await stopRecovered(scenario, second.dataDir)
  })
})

describe.each(cheap)('tidemark pitr on PostgreSQL %i (one recovery)', (major) => {
  it('promotes at a restore point: batches 1-2 present, 3-4 absent, on timeline 2', async () => {
    const scenario = await makeScenario(major)
    const run = await pitr(scenario, ['--target-name', scenario.restorePoint, '--target-action', 'promote'])
    expect(run.exitCode, run.err).toBe(0)
    expect(run.out).toMatch(/target was reached and the server was promoted/)
    expect(run.out).toMatch(/timeline 2/)
    expect(await rowsOf(scenario, run.port)).toBe('20/20')
    await stopRecovered(scenario, run.dataDir)
    await scenario.cluster.stop()
  }, 120_000)
})
