import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../cli.js'
import { fakeIo } from '../testing/fake-io.js'
import { describeStop } from './pitr.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tidemark-cli-pitr-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

async function run(argv: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  const io = fakeIo()
  const exitCode = await runCli(argv, io)
  return { out: io.out.join(''), err: io.err.join(''), exitCode }
}

describe('tidemark pitr', () => {
  it('refuses --pg-bin without --start before touching anything', async () => {
    const result = await run(['pitr', '--backup', join(dir, 'b'), '-D', join(dir, 'data'), '--repo', join(dir, 'repo'), '--pg-bin', '/usr/bin'])
    expect(result.exitCode).toBe(2)
    expect(result.err).toContain('[TIDEMARK_ERR_CLI_USAGE]')
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses two targets before touching anything', async () => {
    const result = await run(['pitr', '--backup', join(dir, 'b'), '-D', join(dir, 'data'), '--repo', join(dir, 'repo'), '--target-name', 'a', '--target-xid', '7'])
    expect(result.exitCode).toBe(2)
    expect(result.err).toContain('[TIDEMARK_ERR_RECOVERY_TARGET_CONFLICT]')
    expect(readdirSync(dir)).toEqual([])
  })

  it('requires -D and --repo (the backup defaults to one of the repository)', async () => {
    const result = await run(['pitr', '-D', join(dir, 'data')])
    expect(result.exitCode).toBe(2)
    expect(result.err).toContain("required option '--repo <repo>'")
  })

  it('refuses two targets before looking for a backup in the repository', async () => {
    const result = await run(['pitr', '-D', join(dir, 'data'), '--repo', join(dir, 'repo'), '--target-name', 'a', '--target-xid', '7'])
    expect(result.exitCode).toBe(2)
    expect(result.err).toContain('[TIDEMARK_ERR_RECOVERY_TARGET_CONFLICT]')
    expect(readdirSync(dir)).toEqual([])
  })

  it('says so when the repository holds no backup to recover from', async () => {
    const result = await run(['pitr', '-D', join(dir, 'data'), '--repo', dir])
    expect(result.exitCode).toBe(3)
    expect(result.err).toMatch(/^tidemark: there is no finished backup.* to recover from; take one with tidemark basebackup --repo \[TIDEMARK_ERR_BACKUP_NO_BACKUP_FOR_TARGET\]\n$/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('says where recovery stopped and why', () => {
    const line = describeStop({
      reason: 'paused-at-target',
      lsn: '0/3019270',
      time: '2026-11-24 16:29:01.432077+00',
      timeline: 1,
      logLine: undefined,
      running: true,
      logFile: '/x/log',
      end: 'target-reached',
    })
    expect(line).toBe(
      'recovery stopped at LSN 0/3019270, time 2026-11-24 16:29:01.432077+00, timeline 1: the target was reached and replay is paused (check the data, then `tidemark resume` to finish recovery)'
    )
    expect(describeStop({ reason: 'target-not-reached', lsn: undefined, time: undefined, timeline: undefined, logLine: undefined, running: false, logFile: '', end: 'target-not-reached' })).toMatch(
      /^recovery stopped at an unknown position: the target was never reached/
    )
  })
})

describe('tidemark resume', () => {
  it('has the connection options and a timeout', async () => {
    const result = await run(['resume', '--help'])
    expect(result.out).toContain('--username')
    expect(result.out).toContain('--timeout')
  })
})
