import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ArchivedWalInfo } from './archived-file.js'
import { DirectoryWalRepository, IDENTITY_FILE } from './directory-repository.js'
import { writeFileDurably } from './durable-file.js'
import { OPENGAUSS_WAL_PAGE_MAGIC } from './page-header.js'
import { pushWal } from './push-wal.js'
import { fixtureSegment, FULL_SEGMENT_NAME } from './testing/fixtures.js'
import { tempDir } from './testing/temp-dir.js'

const INFO: ArchivedWalInfo = { sha256: 'a'.repeat(64), size: 3, compression: 'none' }

describe('directory-repository', () => {
  it('places every kind of name in its documented directory and never outside the repository', () => {
    const repo = new DirectoryWalRepository('/r')
    expect(repo.pathOf('000000010000000A000000FF')).toBe('/r/wal/000000010000000A/000000010000000A000000FF')
    expect(repo.pathOf('000000010000000A000000FF.partial')).toBe('/r/wal/000000010000000A/000000010000000A000000FF.partial')
    expect(repo.pathOf('000000010000000A000000FF.00000028.backup')).toBe('/r/wal/000000010000000A/000000010000000A000000FF.00000028.backup')
    expect(repo.pathOf('0000000A.history')).toBe('/r/wal/history/0000000A.history')
    for (const bad of ['..', '../../x', 'history/../../x', '0000000A.history/../x', '']) {
      expect(() => repo.pathOf(bad)).toThrow(/not a WAL file name/)
    }
  })

  it('binds once: the first identity wins and a second bind returns it', async () => {
    const repo = new DirectoryWalRepository(join(tempDir(), 'new', 'repo'))
    expect(await repo.readIdentity()).toBeUndefined()
    const first = await repo.bindIdentity({ systemIdentifier: '1', segmentSize: 16 * 1024 * 1024 })
    expect(first).toEqual({ systemIdentifier: '1', segmentSize: 16 * 1024 * 1024 })
    expect(await repo.bindIdentity({ systemIdentifier: '2', segmentSize: 1024 * 1024 })).toEqual(first)
  })

  it('refuses a damaged identity file', async () => {
    const root = tempDir()
    const repo = new DirectoryWalRepository(root)
    for (const text of ['{', '{}', '{"format":"tidemark-wal-repository","version":2,"systemIdentifier":"1","segmentSize":16777216}',
      '{"format":"tidemark-wal-repository","version":1,"systemIdentifier":1,"segmentSize":16777216}',
      '{"format":"tidemark-wal-repository","version":1,"systemIdentifier":"1","segmentSize":1000}']) {
      writeFileSync(join(root, IDENTITY_FILE), text)
      await expect(repo.readIdentity()).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WAL_REPOSITORY' })
    }
  })

  it('stores without replacing, lists only archived WAL names and removes quietly', async () => {
    const root = tempDir()
    const repo = new DirectoryWalRepository(root)
    expect(await repo.list()).toEqual([])
    expect(await repo.putIfAbsent('000000010000000000000001', INFO, Buffer.from('abc'))).toBe('stored')
    expect(await repo.putIfAbsent('000000010000000000000001', { ...INFO, sha256: 'b'.repeat(64) }, Buffer.from('xyz'))).toBe('exists')
    expect((await repo.read('000000010000000000000001'))?.payload.toString()).toBe('abc')
    mkdirSync(join(root, 'wal', 'junk'))
    writeFileSync(join(root, 'wal', 'junk', '000000010000000000000002'), '')
    writeFileSync(join(root, 'wal', '0000000100000000', 'notes.txt'), '')
    writeFileSync(join(root, 'wal', '0000000100000000', '000000020000000000000001'), '')
    writeFileSync(join(root, 'wal', '0000000100000000', '.000000010000000000000003.1.aa.tmp'), '')
    expect(await repo.list()).toEqual(['000000010000000000000001'])
    await repo.remove('000000010000000000000001')
    await repo.remove('000000010000000000000001')
    expect(await repo.head('000000010000000000000001')).toBeUndefined()
  })

  it('writes durably without leaving a temporary file, also when it fails', async () => {
    const dir = tempDir()
    expect(await writeFileDurably(join(dir, 'a'), [Buffer.from('1'), Buffer.from('2')])).toBe('written')
    expect(await writeFileDurably(join(dir, 'a'), [Buffer.from('3')], { noClobber: true })).toBe('exists')
    expect(await writeFileDurably(join(dir, 'a'), [Buffer.from('4')])).toBe('written')
    expect(readdirSync(dir)).toEqual(['a'])
    await expect(writeFileDurably(join(dir, 'missing', 'b'), [Buffer.from('x')])).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WAL_IO' })
    expect(existsSync(join(dir, 'missing'))).toBe(false)
  })

  it('binds an openGauss segment with its flavor', async () => {
    const root = tempDir()
    const segment = Buffer.from(fixtureSegment(FULL_SEGMENT_NAME))
    segment.writeUInt16LE(OPENGAUSS_WAL_PAGE_MAGIC, 0)
    writeFileSync(join(root, FULL_SEGMENT_NAME), segment)
    const repo = new DirectoryWalRepository(join(root, 'repo'))
    await pushWal({ repository: repo, sourcePath: join(root, FULL_SEGMENT_NAME), fileName: FULL_SEGMENT_NAME })
    expect(await repo.readIdentity()).toEqual({ systemIdentifier: '7711760346714048346', segmentSize: 1024 * 1024, flavor: 'opengauss' })
  })
})
