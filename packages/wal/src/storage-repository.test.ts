import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PosixStorage } from '@tidemark/storage'
import { describe, expect, it } from 'vitest'
import { DirectoryWalRepository, IDENTITY_FILE } from './directory-repository.js'
import { getWal } from './get-wal.js'
import { openWalRepository } from './open-repository.js'
import { pushWal } from './push-wal.js'
import { cleanupWal } from './cleanup-wal.js'
import { LazyStorageWalRepository } from './storage-repository-open.js'
import { StorageWalRepository } from './storage-repository.js'
import { FIXTURE_SEGMENT_SIZE, FIXTURE_SYSTEM_IDENTIFIER, fixtureSegment, FULL_SEGMENT_NAME } from './testing/fixtures.js'
import { tempDir } from './testing/temp-dir.js'

const HISTORY = '00000002.history'

function segmentFile(dir: string, name: string, bytes: Buffer): string {
  const path = join(dir, `${name}.src`)
  writeFileSync(path, bytes)
  return path
}

describe('storage-repository', () => {
  it('uses the directory layout: keys under wal/<first 16 hex>/ and wal/history/', () => {
    const repo = new StorageWalRepository(new PosixStorage('/r'))
    expect(repo.keyOf('000000010000000A000000FF')).toBe('wal/000000010000000A/000000010000000A000000FF')
    expect(repo.keyOf('000000010000000A000000FF.partial')).toBe('wal/000000010000000A/000000010000000A000000FF.partial')
    expect(repo.keyOf('000000010000000A000000FF.00000028.backup')).toBe('wal/000000010000000A/000000010000000A000000FF.00000028.backup')
    expect(repo.keyOf('0000000A.history')).toBe('wal/history/0000000A.history')
    for (const bad of ['..', '../../x', 'history/../../x', '']) {
      expect(() => repo.keyOf(bad)).toThrow(/not a WAL file name/)
    }
  })

  it('reads what the directory repository wrote, byte for byte, and the other way round', async () => {
    const src = tempDir()
    const segment = fixtureSegment(FULL_SEGMENT_NAME)
    const history = Buffer.from('1\t0/3000000\tno recovery target specified\n')
    // Written through the directory repository, read through the storage one.
    const first = tempDir()
    await pushWal({ repository: new DirectoryWalRepository(first), sourcePath: segmentFile(src, FULL_SEGMENT_NAME, segment), fileName: FULL_SEGMENT_NAME, compression: { method: 'gzip', level: 1 } })
    await pushWal({ repository: new DirectoryWalRepository(first), sourcePath: segmentFile(src, HISTORY, history), fileName: HISTORY })
    const viaStorage = new StorageWalRepository(new PosixStorage(first))
    expect(await viaStorage.readIdentity()).toEqual({ systemIdentifier: FIXTURE_SYSTEM_IDENTIFIER, segmentSize: FIXTURE_SEGMENT_SIZE, flavor: 'postgresql', major: expect.any(Number) as number })
    expect(await viaStorage.list()).toEqual([FULL_SEGMENT_NAME, HISTORY])
    expect((await viaStorage.head(FULL_SEGMENT_NAME))?.compression).toBe('gzip')
    await getWal({ repository: viaStorage, fileName: FULL_SEGMENT_NAME, targetPath: join(src, 'got') })
    expect(readFileSync(join(src, 'got')).equals(segment)).toBe(true)
    // Written through the storage repository, read through the directory one: the same files.
    const second = tempDir()
    const storageRepo = new StorageWalRepository(new PosixStorage(second))
    await pushWal({ repository: storageRepo, sourcePath: segmentFile(src, FULL_SEGMENT_NAME, segment), fileName: FULL_SEGMENT_NAME, compression: { method: 'gzip', level: 1 } })
    await pushWal({ repository: storageRepo, sourcePath: segmentFile(src, HISTORY, history), fileName: HISTORY })
    const viaDirectory = new DirectoryWalRepository(second)
    expect(await viaDirectory.readIdentity()).toEqual(await viaStorage.readIdentity())
    expect(await viaDirectory.list()).toEqual([FULL_SEGMENT_NAME, HISTORY])
    for (const name of [FULL_SEGMENT_NAME, HISTORY]) {
      expect(readFileSync(viaDirectory.pathOf(name)).equals(readFileSync(new DirectoryWalRepository(first).pathOf(name)))).toBe(true)
    }
  })

  it('refuses a conflicting push with both checksums and keeps the original; an identical retry succeeds', async () => {
    const src = tempDir()
    const repo = new StorageWalRepository(new PosixStorage(tempDir()))
    const segment = fixtureSegment(FULL_SEGMENT_NAME)
    const pushed = await pushWal({ repository: repo, sourcePath: segmentFile(src, FULL_SEGMENT_NAME, segment), fileName: FULL_SEGMENT_NAME })
    expect(pushed.outcome).toBe('stored')
    const again = await pushWal({ repository: repo, sourcePath: segmentFile(src, FULL_SEGMENT_NAME, segment), fileName: FULL_SEGMENT_NAME })
    expect(again.outcome).toBe('already-archived')
    const changed = Buffer.from(segment)
    changed.writeUInt8(changed.readUInt8(changed.length - 1) ^ 0xff, changed.length - 1)
    const other = join(src, 'changed')
    writeFileSync(other, changed)
    const refused = pushWal({ repository: repo, sourcePath: other, fileName: FULL_SEGMENT_NAME })
    await expect(refused).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WAL_CONFLICT', exitCode: 3 })
    await expect(refused).rejects.toThrow(pushed.sha256)
    expect((await repo.head(FULL_SEGMENT_NAME))?.sha256).toBe(pushed.sha256)
  })

  it('stores create-only: a second put of a name or a second binding never replaces the first', async () => {
    const root = tempDir()
    const repo = new StorageWalRepository(new PosixStorage(root))
    const info = { sha256: 'a'.repeat(64), size: 3, compression: 'none' } as const
    expect(await repo.putIfAbsent('000000010000000000000001', info, Buffer.from('abc'))).toBe('stored')
    expect(await repo.putIfAbsent('000000010000000000000001', { ...info, sha256: 'b'.repeat(64) }, Buffer.from('xyz'))).toBe('exists')
    expect((await repo.read('000000010000000000000001'))?.payload.toString()).toBe('abc')
    const bound = await repo.bindIdentity({ systemIdentifier: '1', segmentSize: 16 * 1024 * 1024 })
    expect(await repo.bindIdentity({ systemIdentifier: '2', segmentSize: 1024 * 1024 })).toEqual(bound)
    expect(JSON.parse(readFileSync(join(root, IDENTITY_FILE), 'utf8'))).toMatchObject({ systemIdentifier: '1' })
  })

  it('answers undefined for what is not archived, lists only archived names and removes quietly', async () => {
    const root = tempDir()
    const repo = new StorageWalRepository(new PosixStorage(root))
    expect(await repo.readIdentity()).toBeUndefined()
    expect(await repo.head('000000010000000000000001')).toBeUndefined()
    expect(await repo.read('000000010000000000000001')).toBeUndefined()
    expect(await repo.list()).toEqual([])
    await repo.putIfAbsent('000000010000000000000001', { sha256: 'a'.repeat(64), size: 1, compression: 'none' }, Buffer.from('a'))
    mkdirSync(join(root, 'wal', 'junk'))
    writeFileSync(join(root, 'wal', 'junk', '000000010000000000000002'), '')
    writeFileSync(join(root, 'wal', '0000000100000000', 'notes.txt'), '')
    writeFileSync(join(root, 'wal', '0000000100000000', '000000020000000000000001'), '')
    writeFileSync(join(root, 'wal', 'stray'), '')
    expect(await repo.list()).toEqual(['000000010000000000000001'])
    const result = await cleanupWal({ repository: repo, oldestKept: '000000010000000000000002', dryRun: false, removeBackupHistory: false })
    expect(result.removed).toEqual(['000000010000000000000001'])
    await repo.remove('000000010000000000000001')
    expect(await repo.list()).toEqual([])
  })

  it('refuses a damaged identity or archived file with a repository error', async () => {
    const root = tempDir()
    const repo = new StorageWalRepository(new PosixStorage(root))
    writeFileSync(join(root, IDENTITY_FILE), '{')
    await expect(repo.readIdentity()).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WAL_REPOSITORY' })
    mkdirSync(join(root, 'wal', '0000000100000000'), { recursive: true })
    writeFileSync(join(root, 'wal', '0000000100000000', '000000010000000000000001'), 'not an archived file\n')
    await expect(repo.head('000000010000000000000001')).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WAL_REPOSITORY' })
  })

  it('opens s3:// lazily: nothing is loaded or sent until a call, and bad S3 flags fail that call as usage', async () => {
    const repo = openWalRepository('s3://bucket/wal', {}, { s3: { s3PathStyle: 'maybe' } })
    expect(repo).toBeInstanceOf(LazyStorageWalRepository)
    expect(repo.location).toBe('s3://bucket/wal')
    await expect(repo.list()).rejects.toMatchObject({ code: 'TIDEMARK_ERR_STORAGE_USAGE', exitCode: 2 })
    await expect(repo.head('000000010000000000000001')).rejects.toMatchObject({ code: 'TIDEMARK_ERR_STORAGE_USAGE' })
    await repo.close?.()
    expect(openWalRepository(undefined, { TIDEMARK_REPO: 's3://bucket' }).location).toBe('s3://bucket')
  })
})
