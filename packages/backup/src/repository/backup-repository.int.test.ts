// The repository's backup catalog on a directory (PosixStorage); the same class runs on S3 in the
// repository tests against Ceph.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PosixStorage } from '@tidemark/storage'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readAll } from '../server-archive.js'
import type { BackupRecord } from '../catalog/backup-record.js'
import { BackupRepository } from './backup-repository.js'

function record(id: string, startTime: string): BackupRecord {
  return {
    id,
    label: 'test',
    startLsn: '0/2000028',
    endLsn: '0/2000100',
    timeline: 1,
    startTime,
    endTime: startTime,
    systemIdentifier: '7311937342174040106',
    bytes: 10,
    flavor: 'postgresql',
    serverMajor: 16,
    format: 'tar',
    compression: 'none',
    verified: false,
  }
}

describe('BackupRepository on a directory', () => {
  let root: string
  let repository: BackupRepository
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tidemark-backup-repo-'))
    repository = new BackupRepository(new PosixStorage(root))
  })
  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('lists a backup only once its record is written, oldest first, and removes it whole', async () => {
    const a = '20261124T100000Z-aaaaaa'
    const b = '20261124T090000Z-bbbbbb'
    await repository.putFile(a, 'base.tar', Buffer.from('base'))
    await repository.putFile(b, 'base.tar', Buffer.from('other'))
    expect(await repository.list()).toEqual([])
    expect(await repository.unfinished()).toEqual([b, a])
    await repository.writeRecord(record(a, '2026-11-24T10:00:00Z'))
    await repository.writeRecord(record(b, '2026-11-24T09:00:00Z'))
    expect((await repository.list()).map((r) => r.id)).toEqual([b, a])
    expect(await repository.files(a)).toEqual([{ name: 'base.tar', size: 4 }])
    expect((await readAll(await repository.getFile(a, 'base.tar'))).toString()).toBe('base')
    await repository.remove(a)
    expect((await repository.list()).map((r) => r.id)).toEqual([b])
    expect(await repository.ids()).toEqual([b])
  })

  it('never replaces a file of a backup and refuses an id that is not one', async () => {
    const id = '20261124T100000Z-cccccc'
    await repository.putFile(id, 'base.tar', Buffer.from('1'))
    await expect(repository.putFile(id, 'base.tar', Buffer.from('2'))).rejects.toMatchObject({ code: 'TIDEMARK_ERR_STORAGE_EXISTS' })
    expect(() => repository.fileKey('../x', 'base.tar')).toThrow(/not a backup id/)
  })
})
