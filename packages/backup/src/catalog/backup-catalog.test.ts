import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BackupCatalog } from './backup-catalog.js'
import { directorySize } from './directory-size.js'
import { checkBackupId, isBackupId, newBackupId } from './backup-id.js'
import { formatBackupRecord, parseBackupRecord, type BackupRecord } from './backup-record.js'

function sample(id: string, startTime: string): BackupRecord {
  return {
    id,
    label: 'nightly',
    startLsn: '0/2000028',
    endLsn: '0/2000100',
    timeline: 1,
    startTime,
    endTime: startTime,
    systemIdentifier: '7312345678901234567',
    bytes: 4096,
    flavor: 'postgresql',
    serverMajor: 17,
    format: 'tar',
    compression: 'gzip:5',
    verified: false,
  }
}

describe('backup ids', () => {
  it('are made from the UTC time and refuse paths', () => {
    const id = newBackupId(new Date('2026-11-24T15:04:05.123Z'), 'a1b2c3')
    expect(id).toBe('20261124T150405Z-a1b2c3')
    expect(isBackupId(newBackupId())).toBe(true)
    for (const bad of ['..', '../x', '20261124T150405Z-a1b2c3/..', '', 'x'.repeat(300)]) {
      expect(() => checkBackupId(bad)).toThrow(expect.objectContaining({ code: 'TIDEMARK_ERR_BACKUP_USAGE' }))
    }
  })
})

describe('backup records', () => {
  it('round-trip through backup.json and name the bad field otherwise', () => {
    const record = sample('20261124T150405Z-a1b2c3', '2026-11-24T15:04:05.000Z')
    expect(parseBackupRecord(formatBackupRecord(record), 'f')).toEqual(record)
    const broken = JSON.parse(formatBackupRecord(record)) as Record<string, unknown>
    broken['endLsn'] = 'nope'
    expect(() => parseBackupRecord(JSON.stringify(broken), 'f')).toThrow(/f: endLsn is missing or invalid/)
    expect(() => parseBackupRecord('{', 'f')).toThrow(/f is not valid JSON/)
    expect(() => parseBackupRecord('{"document":"x","version":1}', 'f')).toThrow(/not a version 1 tidemark-backup/)
  })
})

describe('BackupCatalog', () => {
  let repo: string
  beforeEach(async () => {
    repo = await mkdtemp(join(tmpdir(), 'tidemark-catalog-'))
  })
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true })
  })

  it('creates, records, lists oldest first, reads and removes backups', async () => {
    const catalog = new BackupCatalog(repo)
    expect(await catalog.list()).toEqual([])
    const newer = sample('20261124T160000Z-000002', '2026-11-24T16:00:00.000Z')
    const older = sample('20261124T150000Z-000001', '2026-11-24T15:00:00.000Z')
    for (const record of [newer, older]) {
      const data = await catalog.create(record.id)
      expect(data).toBe(join(repo, 'backups', record.id, 'data'))
      await catalog.record(record)
    }
    const running = '20261124T170000Z-000003'
    await catalog.create(running)
    expect((await catalog.list()).map((r) => r.id)).toEqual([older.id, newer.id])
    expect(await catalog.unfinished()).toEqual([running])
    expect(await catalog.read(older.id)).toEqual(older)
    expect(await catalog.read('20261124T180000Z-000004')).toBeUndefined()
    expect(JSON.parse(await readFile(join(repo, 'backups', older.id, 'backup.json'), 'utf8'))).toMatchObject({
      document: 'tidemark-backup',
      id: older.id,
    })
    await catalog.remove(running)
    await expect(stat(join(repo, 'backups', running))).rejects.toThrow(/ENOENT/)
  })

  it('refuses an existing backup directory and a record that names another backup', async () => {
    const catalog = new BackupCatalog(repo)
    const id = '20261124T150000Z-000001'
    await catalog.create(id)
    await expect(catalog.create(id)).rejects.toMatchObject({ code: 'TIDEMARK_ERR_BACKUP_TARGET_NOT_EMPTY' })
    await writeFile(join(repo, 'backups', id, 'backup.json'), formatBackupRecord(sample('20261124T150000Z-000009', '2026-11-24T15:00:00Z')))
    await expect(catalog.read(id)).rejects.toThrow(/describes backup 20261124T150000Z-000009/)
  })

  it('marks a backup verified durably', async () => {
    const catalog = new BackupCatalog(repo)
    const record = sample('20261124T150000Z-000001', '2026-11-24T15:00:00.000Z')
    await catalog.create(record.id)
    await catalog.record(record)
    const at = new Date('2026-11-25T00:00:00.000Z')
    expect(await catalog.markVerified(record.id, true, at)).toEqual({ ...record, verified: true, verifiedAt: at.toISOString() })
    expect((await catalog.read(record.id))?.verified).toBe(true)
    expect(await catalog.markVerified(record.id, false)).toEqual(record)
  })
})

describe('directorySize', () => {
  it('sums the regular files under a directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tidemark-size-'))
    try {
      await writeFile(join(dir, 'a'), Buffer.alloc(100))
      const { mkdir } = await import('node:fs/promises')
      await mkdir(join(dir, 'sub'))
      await writeFile(join(dir, 'sub', 'b'), Buffer.alloc(23))
      expect(await directorySize(dir)).toBe(123)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
