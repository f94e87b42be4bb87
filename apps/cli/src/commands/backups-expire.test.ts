import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { formatBackupRecord, type BackupRecord } from '@tidemark/backup'
import { run, tempDirs } from '../testing/restore-side.js'

const dirs = tempDirs()
afterAll(() => dirs.removeAll())

function writeBackup(repo: string, id: string, endTime: string): void {
  const record: BackupRecord = {
    id,
    label: 'test',
    startLsn: '0/2000028',
    endLsn: '0/2000100',
    timeline: 1,
    startTime: endTime,
    endTime,
    systemIdentifier: '7311937342174040106',
    bytes: 3 * 1024 * 1024,
    flavor: 'postgresql',
    serverMajor: 16,
    format: 'tar',
    compression: 'gzip:5',
    verified: false,
    walMethod: 'stream',
  }
  mkdirSync(join(repo, 'backups', id, 'data'), { recursive: true })
  writeFileSync(join(repo, 'backups', id, 'data', 'base.tar.gz'), 'x')
  writeFileSync(join(repo, 'backups', id, 'backup.json'), formatBackupRecord(record))
}

describe('tidemark backups', () => {
  it('lists finished backups with their WAL state and unfinished ones apart', async () => {
    const repo = dirs.make()
    writeBackup(repo, '20261124T100000Z-aaaaaa', '2026-11-24T10:00:00Z')
    mkdirSync(join(repo, 'backups', '20261124T110000Z-bbbbbb', 'data'), { recursive: true })
    writeFileSync(join(repo, 'backups', '20261124T110000Z-bbbbbb', 'data', 'base.tar.gz'), 'partial')
    const result = await run(['backups', '--repo', repo])
    expect(result.err).toBe('')
    expect(result.out).toContain('20261124T100000Z-aaaaaa  2026-11-24T10:00:00Z .. 2026-11-24T10:00:00Z  LSN 0/2000028 .. 0/2000100  timeline 1  3.0 MiB  postgresql 16  tar, gzip:5')
    expect(result.out).toContain('not recoverable: WAL missing from 000000010000000000000002')
    expect(result.out).toMatch(/unfinished \(running, or left by a failed run\): 1\n20261124T110000Z-bbbbbb {2}0\.0 MiB {2}last written /)
    const json = JSON.parse((await run(['backups', '--repo', repo, '--json'])).out) as {
      backups: Array<{ id: string; wal: { consistent: boolean; missing: string[] } }>
      unfinished: Array<{ id: string }>
    }
    expect(json.backups).toMatchObject([{ id: '20261124T100000Z-aaaaaa', wal: { consistent: false, missing: ['000000010000000000000002'] } }])
    expect(json.unfinished.map((backup) => backup.id)).toEqual(['20261124T110000Z-bbbbbb'])
  })

  it('refuses a repository directory that does not exist (exit 1)', async () => {
    const result = await run(['backups', '--repo', '/nonexistent/tidemark/repo'])
    expect(result.exitCode).toBe(1)
    expect(result.err).toBe('tidemark: the repository /nonexistent/tidemark/repo does not exist or is not a directory [TIDEMARK_ERR_BACKUP_SOURCE]\n')
  })
})

describe('tidemark expire', () => {
  it('refuses --retain-full 0, both policies or none, before touching the repository (exit 2)', async () => {
    const repo = dirs.make()
    writeBackup(repo, '20261124T100000Z-aaaaaa', '2026-11-24T10:00:00Z')
    for (const args of [['--retain-full', '0'], ['--retain-full', '1', '--retain-days', '2'], [], ['--retain-days', 'x']]) {
      const result = await run(['expire', '--repo', repo, ...args])
      expect(result.exitCode).toBe(2)
      expect(result.err).toMatch(/^tidemark: .*\[TIDEMARK_ERR_(BACKUP|CLI)_USAGE\]\n$/)
      expect(result.out).toBe('')
    }
    expect(readdirSync(join(repo, 'backups'))).toEqual(['20261124T100000Z-aaaaaa'])
  })

  it('says what it would remove with --dry-run and changes nothing, then removes it', async () => {
    const repo = dirs.make()
    writeBackup(repo, '20261124T100000Z-aaaaaa', '2026-11-24T10:00:00Z')
    writeBackup(repo, '20261124T110000Z-bbbbbb', '2026-11-24T11:00:00Z')
    const dry = await run(['expire', '--repo', repo, '--retain-full', '1', '--dry-run'])
    expect(dry.err).toBe('')
    expect(dry.out).toContain('keeping 1 backup(s): 20261124T110000Z-bbbbbb\n')
    expect(dry.out).toContain('would remove backup 20261124T100000Z-aaaaaa (ended 2026-11-24T10:00:00Z, LSN 0/2000100, timeline 1)\n')
    expect(dry.out).toContain('(dry run: nothing was changed)')
    expect(readdirSync(join(repo, 'backups')).sort()).toEqual(['20261124T100000Z-aaaaaa', '20261124T110000Z-bbbbbb'])
    const real = await run(['expire', '--repo', repo, '--retain-full', '1'])
    expect(real.out).toContain('removed backup 20261124T100000Z-aaaaaa')
    // Nothing of the removed backup is left, not even its emptied directories.
    expect(readdirSync(join(repo, 'backups'))).toEqual(['20261124T110000Z-bbbbbb'])
    const listed = JSON.parse((await run(['backups', '--repo', repo, '--json'])).out) as { backups: Array<{ id: string }>; unfinished: unknown[] }
    expect(listed.backups.map((backup) => backup.id)).toEqual(['20261124T110000Z-bbbbbb'])
    expect(listed.unfinished).toEqual([])
  })
})
