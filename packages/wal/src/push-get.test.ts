import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DirectoryWalRepository } from './directory-repository.js'
import { getWal } from './get-wal.js'
import { pushWal } from './push-wal.js'
import { FIXTURE_SYSTEM_IDENTIFIER, FULL_SEGMENT_NAME, CURRENT_SEGMENT_NAME, fixtureSegment } from './testing/fixtures.js'
import { tempDir } from './testing/temp-dir.js'
import type { WalCompression } from './compression.js'

function setup(): { repo: DirectoryWalRepository; repoDir: string; work: string; source: (name: string, bytes: Buffer) => string } {
  const root = tempDir()
  const repoDir = join(root, 'repo')
  const work = join(root, 'pg_wal')
  mkdirSync(work)
  return {
    repo: new DirectoryWalRepository(repoDir),
    repoDir,
    work,
    source: (name, bytes) => {
      writeFileSync(join(work, name), bytes)
      return join(work, name)
    },
  }
}

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

function otherSystem(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes)
  copy.writeBigUInt64LE(1234567890123456789n, 24)
  return copy
}

describe('push and get', () => {
  it('archives a segment, binds the repository and gives back identical bytes', async () => {
    const { repo, repoDir, work, source } = setup()
    const bytes = fixtureSegment(FULL_SEGMENT_NAME)
    const pushed = await pushWal({ repository: repo, sourcePath: source(FULL_SEGMENT_NAME, bytes), fileName: FULL_SEGMENT_NAME })
    expect(pushed).toEqual({ fileName: FULL_SEGMENT_NAME, outcome: 'stored', sha256: sha(bytes), size: bytes.byteLength })
    expect(await repo.readIdentity()).toEqual({
      systemIdentifier: FIXTURE_SYSTEM_IDENTIFIER, segmentSize: 1024 * 1024, flavor: 'postgresql', major: 16,
    })
    expect(existsSync(join(repoDir, 'wal', '0000000100000000', FULL_SEGMENT_NAME))).toBe(true)
    expect(readdirSync(join(repoDir, 'wal', '0000000100000000'))).toEqual([FULL_SEGMENT_NAME])
    const target = join(work, 'RECOVERYXLOG')
    expect(await getWal({ repository: repo, fileName: FULL_SEGMENT_NAME, targetPath: target })).toEqual({
      fileName: FULL_SEGMENT_NAME, size: bytes.byteLength,
    })
    expect(readFileSync(target).equals(bytes)).toBe(true)
    expect(readdirSync(work).sort()).toEqual([FULL_SEGMENT_NAME, 'RECOVERYXLOG'])
  })

  it.each<WalCompression>(['none', 'gzip', 'lz4', 'zstd'])('round-trips %s-compressed archives', async (method) => {
    const { repo, work, source } = setup()
    const bytes = fixtureSegment(CURRENT_SEGMENT_NAME)
    await pushWal({ repository: repo, sourcePath: source(CURRENT_SEGMENT_NAME, bytes), fileName: CURRENT_SEGMENT_NAME, compression: { method } })
    const head = await repo.head(CURRENT_SEGMENT_NAME)
    expect(head?.compression).toBe(method)
    const stored = await repo.read(CURRENT_SEGMENT_NAME)
    if (method !== 'none') {
      expect(stored?.payload.byteLength).toBeLessThan(bytes.byteLength / 2)
    }
    await getWal({ repository: repo, fileName: CURRENT_SEGMENT_NAME, targetPath: join(work, 'out') })
    expect(readFileSync(join(work, 'out')).equals(bytes)).toBe(true)
  })

  it('accepts an identical re-push, even with another compression', async () => {
    const { repo, source } = setup()
    const path = source(FULL_SEGMENT_NAME, fixtureSegment(FULL_SEGMENT_NAME))
    await pushWal({ repository: repo, sourcePath: path, fileName: FULL_SEGMENT_NAME, compression: { method: 'gzip' } })
    const again = await pushWal({ repository: repo, sourcePath: path, fileName: FULL_SEGMENT_NAME })
    expect(again.outcome).toBe('already-archived')
  })

  it('refuses different content under an archived name, naming both checksums, and keeps the original', async () => {
    const { repo, repoDir, source } = setup()
    const original = fixtureSegment(FULL_SEGMENT_NAME)
    await pushWal({ repository: repo, sourcePath: source(FULL_SEGMENT_NAME, original), fileName: FULL_SEGMENT_NAME })
    const stored = readFileSync(join(repoDir, 'wal', '0000000100000000', FULL_SEGMENT_NAME))
    const changed = Buffer.from(original)
    changed[5000] = (changed[5000] ?? 0) ^ 0xff
    const attempt = pushWal({ repository: repo, sourcePath: source(FULL_SEGMENT_NAME, changed), fileName: FULL_SEGMENT_NAME })
    await expect(attempt).rejects.toMatchObject({
      code: 'TIDEMARK_ERR_WAL_CONFLICT',
      exitCode: 3,
      message: expect.stringContaining(`archived sha256 ${sha(original)}, pushed sha256 ${sha(changed)}`),
    })
    expect(readFileSync(join(repoDir, 'wal', '0000000100000000', FULL_SEGMENT_NAME)).equals(stored)).toBe(true)
    expect(readdirSync(join(repoDir, 'wal', '0000000100000000'))).toEqual([FULL_SEGMENT_NAME])
  })

  it("refuses another cluster's segment, naming both system identifiers", async () => {
    const { repo, source } = setup()
    await pushWal({ repository: repo, sourcePath: source(FULL_SEGMENT_NAME, fixtureSegment(FULL_SEGMENT_NAME)), fileName: FULL_SEGMENT_NAME })
    const foreign = otherSystem(fixtureSegment(CURRENT_SEGMENT_NAME))
    await expect(
      pushWal({ repository: repo, sourcePath: source(CURRENT_SEGMENT_NAME, foreign), fileName: CURRENT_SEGMENT_NAME })
    ).rejects.toMatchObject({
      code: 'TIDEMARK_ERR_WAL_SYSTEM_MISMATCH',
      message: expect.stringMatching(new RegExp(`1234567890123456789.*${FIXTURE_SYSTEM_IDENTIFIER}`)),
    })
    expect(await repo.head(CURRENT_SEGMENT_NAME)).toBeUndefined()
  })

  it('refuses non-WAL names, a wrong segment for the name, a truncated segment and a missing source', async () => {
    const { repo, source, work } = setup()
    const bytes = fixtureSegment(FULL_SEGMENT_NAME)
    const path = source(FULL_SEGMENT_NAME, bytes)
    for (const name of ['../x', 'RECOVERYXLOG', `${FULL_SEGMENT_NAME}.gz`, `/etc/${FULL_SEGMENT_NAME}`]) {
      await expect(pushWal({ repository: repo, sourcePath: path, fileName: name })).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WAL_BAD_NAME', exitCode: 2 })
    }
    await expect(pushWal({ repository: repo, sourcePath: path, fileName: '000000010000000000000004' })).rejects.toMatchObject({
      code: 'TIDEMARK_ERR_WAL_CONTENT_MISMATCH',
    })
    const short = source('short', bytes.subarray(0, 512 * 1024))
    await expect(pushWal({ repository: repo, sourcePath: short, fileName: FULL_SEGMENT_NAME })).rejects.toMatchObject({
      code: 'TIDEMARK_ERR_WAL_CONTENT_MISMATCH',
    })
    await expect(pushWal({ repository: repo, sourcePath: join(work, 'missing'), fileName: FULL_SEGMENT_NAME })).rejects.toMatchObject({
      code: 'TIDEMARK_ERR_WAL_SOURCE',
      exitCode: 4,
    })
    expect(await repo.list()).toEqual([])
    expect(await repo.readIdentity()).toBeUndefined()
  })

  it('archives history, .backup and .partial files', async () => {
    const { repo, work, source } = setup()
    const history = Buffer.from('1\t0/3000158\tno recovery target specified\n')
    await pushWal({ repository: repo, sourcePath: source('00000002.history', history), fileName: '00000002.history' })
    const backup = Buffer.from('START WAL LOCATION: 0/300028 (file 000000010000000000000003)\n')
    const backupName = '000000010000000000000003.00000028.backup'
    await pushWal({ repository: repo, sourcePath: source(backupName, backup), fileName: backupName })
    const partialName = `${CURRENT_SEGMENT_NAME}.partial`
    await pushWal({ repository: repo, sourcePath: source(partialName, fixtureSegment(CURRENT_SEGMENT_NAME)), fileName: partialName })
    expect(await repo.list()).toEqual(['000000010000000000000003.00000028.backup', partialName, '00000002.history'])
    await getWal({ repository: repo, fileName: '00000002.history', targetPath: join(work, 'RECOVERYHISTORY') })
    expect(readFileSync(join(work, 'RECOVERYHISTORY')).equals(history)).toBe(true)
  })

  it('answers not found for a missing file and refuses damaged archives without writing %p', async () => {
    const { repo, repoDir, work, source } = setup()
    await expect(getWal({ repository: repo, fileName: '00000009.history', targetPath: join(work, 'x') })).rejects.toMatchObject({
      code: 'TIDEMARK_ERR_WAL_NOT_FOUND',
      exitCode: 1,
    })
    await expect(getWal({ repository: repo, fileName: '../../etc/passwd', targetPath: join(work, 'x') })).rejects.toMatchObject({
      code: 'TIDEMARK_ERR_WAL_BAD_NAME',
    })
    const bytes = fixtureSegment(FULL_SEGMENT_NAME)
    await pushWal({ repository: repo, sourcePath: source(FULL_SEGMENT_NAME, bytes), fileName: FULL_SEGMENT_NAME, compression: { method: 'zstd' } })
    await pushWal({ repository: repo, sourcePath: source(CURRENT_SEGMENT_NAME, fixtureSegment(CURRENT_SEGMENT_NAME)), fileName: CURRENT_SEGMENT_NAME })
    const dir = join(repoDir, 'wal', '0000000100000000')
    const flip = (name: string, at: number): void => {
      const path = join(dir, name)
      chmodSync(path, 0o644)
      const stored = readFileSync(path)
      stored[at] = (stored[at] ?? 0) ^ 0x55
      writeFileSync(path, stored)
    }
    flip(CURRENT_SEGMENT_NAME, 5000)
    await expect(getWal({ repository: repo, fileName: CURRENT_SEGMENT_NAME, targetPath: join(work, 'a') })).rejects.toMatchObject({
      code: 'TIDEMARK_ERR_WAL_CORRUPT',
      message: expect.stringContaining('sha256'),
    })
    flip(FULL_SEGMENT_NAME, 200)
    await expect(getWal({ repository: repo, fileName: FULL_SEGMENT_NAME, targetPath: join(work, 'b') })).rejects.toMatchObject({
      code: 'TIDEMARK_ERR_WAL_CORRUPT',
    })
    writeFileSync(join(dir, FULL_SEGMENT_NAME), 'garbage')
    await expect(getWal({ repository: repo, fileName: FULL_SEGMENT_NAME, targetPath: join(work, 'c') })).rejects.toMatchObject({
      code: 'TIDEMARK_ERR_WAL_REPOSITORY',
    })
    expect(readdirSync(work).sort()).toEqual([FULL_SEGMENT_NAME, CURRENT_SEGMENT_NAME])
  })

  it('leaves nothing behind when the repository cannot be written', async () => {
    const { repo, repoDir, source } = setup()
    const bytes = fixtureSegment(FULL_SEGMENT_NAME)
    mkdirSync(join(repoDir, 'wal', '0000000100000000'), { recursive: true })
    writeFileSync(join(repoDir, 'wal', '0000000100000000', 'blocker'), '')
    chmodSync(join(repoDir, 'wal', '0000000100000000'), 0o500)
    try {
      const attempt = pushWal({ repository: repo, sourcePath: source(FULL_SEGMENT_NAME, bytes), fileName: FULL_SEGMENT_NAME })
      if (process.getuid?.() === 0) {
        // root ignores permissions: the push succeeds; the point of this case is a non-root run.
        await expect(attempt).resolves.toMatchObject({ outcome: 'stored' })
      } else {
        await expect(attempt).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WAL_IO', exitCode: 4 })
        expect(readdirSync(join(repoDir, 'wal', '0000000100000000'))).toEqual(['blocker'])
      }
    } finally {
      chmodSync(join(repoDir, 'wal', '0000000100000000'), 0o755)
    }
  })
})
