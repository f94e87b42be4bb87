import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DirectoryWalRepository } from './directory-repository.js'
import { claimSpoolLock, fillSpool, livePrefetcher, prefetchWindow, pruneSpool, spoolDirectory, SPOOL_DIR_NAME } from './prefetch-spool.js'
import { pushWal } from './push-wal.js'
import { restoreWal } from './restore-wal.js'
import { nextSegmentFileName } from './segment.js'
import { fixtureSegment, FULL_SEGMENT_NAME } from './testing/fixtures.js'
import { tempDir } from './testing/temp-dir.js'

const MB = 1024 * 1024

/** A real 1 MB segment re-addressed as another segment number (header and page addresses patched). */
function segmentAs(name: string): Buffer {
  const bytes = Buffer.from(fixtureSegment(FULL_SEGMENT_NAME))
  const segmentNumber = BigInt(Number.parseInt(name.slice(16), 16))
  for (let offset = 0; offset < bytes.byteLength; offset += 8192) {
    bytes.writeBigUInt64LE(segmentNumber * BigInt(MB) + BigInt(offset), offset + 8)
  }
  return bytes
}

async function archiveOf(count: number): Promise<{ repo: DirectoryWalRepository; names: string[]; pgWal: string }> {
  const root = tempDir()
  const repo = new DirectoryWalRepository(join(root, 'repo'))
  const pgWal = join(root, 'data', 'pg_wal')
  mkdirSync(pgWal, { recursive: true })
  const names: string[] = []
  let name = '000000010000000000000010'
  for (let i = 0; i < count; i += 1) {
    writeFileSync(join(root, name), segmentAs(name))
    await pushWal({ repository: repo, sourcePath: join(root, name), fileName: name, compression: { method: 'gzip' } })
    names.push(name)
    name = nextSegmentFileName(name, MB)
  }
  return { repo, names, pgWal }
}

describe('prefetch-spool', () => {
  it('computes the window of next segments', () => {
    expect(prefetchWindow('000000010000000000000FFE', 3, MB)).toEqual([
      '000000010000000000000FFF',
      '000000010000000100000000',
      '000000010000000100000001',
    ])
    expect(prefetchWindow('000000010000000000000FFE', 0, MB)).toEqual([])
  })

  it('serves from the spool after a prefetch, bounded to the window, and stops at the end of the archive', async () => {
    const { repo, names, pgWal } = await archiveOf(6)
    const target = join(pgWal, 'RECOVERYXLOG')
    const spool = spoolDirectory(target)
    expect(spool).toBe(join(pgWal, SPOOL_DIR_NAME))
    const started: string[][] = []
    const startPrefetch = async (dir: string, missing: readonly string[]): Promise<void> => {
      started.push([...missing])
      await fillSpool(repo, dir, missing)
    }
    const first = await restoreWal({ repository: repo, fileName: names[0] ?? '', targetPath: target, prefetch: 3, startPrefetch })
    expect(first.source).toBe('repository')
    expect(started).toEqual([names.slice(1, 4)])
    expect(readdirSync(spool).sort()).toEqual(names.slice(1, 4))
    const second = await restoreWal({ repository: repo, fileName: names[1] ?? '', targetPath: target, prefetch: 3, startPrefetch })
    expect(second.source).toBe('spool')
    expect(readFileSync(target).equals(segmentAs(names[1] ?? ''))).toBe(true)
    expect(started[1]).toEqual([names[4]])
    expect(readdirSync(spool).sort()).toEqual(names.slice(2, 5))
    // Jump ahead (as after a timeline switch): everything outside the new window goes.
    await restoreWal({ repository: repo, fileName: names[4] ?? '', targetPath: target, prefetch: 3, startPrefetch })
    expect(readdirSync(spool).sort()).toEqual([names[5]])
    expect(started[2]).toEqual([names[5], nextSegmentFileName(names[5] ?? '', MB), nextSegmentFileName(nextSegmentFileName(names[5] ?? '', MB), MB)])
    // The end of recovery: PostgreSQL asks for the next timeline's history, and the spool goes.
    await expect(restoreWal({ repository: repo, fileName: '00000002.history', targetPath: join(pgWal, 'RECOVERYHISTORY'), prefetch: 3, startPrefetch })).rejects.toMatchObject({
      code: 'TIDEMARK_ERR_WAL_NOT_FOUND',
    })
    expect(existsSync(spool)).toBe(false)
    // A late prefetcher does not bring it back.
    expect(await fillSpool(repo, spool, [names[5] ?? ''])).toEqual([])
    expect(existsSync(spool)).toBe(false)
  })

  it('prunes stray files, keeps a live lock holder alone and tolerates a missing spool', async () => {
    const { repo, names, pgWal } = await archiveOf(2)
    const spool = join(pgWal, SPOOL_DIR_NAME)
    expect(await pruneSpool(spool, names)).toEqual(names)
    mkdirSync(spool)
    writeFileSync(join(spool, 'stray'), 'x')
    writeFileSync(join(spool, names[0] ?? ''), 'x')
    expect(await pruneSpool(spool, [names[0] ?? ''])).toEqual([])
    expect(existsSync(join(spool, 'stray'))).toBe(false)
    // Another live process (our parent) holds it: this prefetcher steps aside.
    writeFileSync(join(spool, 'lock'), String(process.ppid))
    expect(await livePrefetcher(spool)).toBe(true)
    expect(await fillSpool(repo, spool, [names[1] ?? ''])).toEqual([])
    // A dead holder's lock is taken over.
    writeFileSync(join(spool, 'lock'), '999999999')
    expect(await livePrefetcher(spool)).toBe(false)
    expect(await fillSpool(repo, spool, [names[1] ?? ''])).toEqual([names[1]])
    expect(existsSync(join(spool, 'lock'))).toBe(false)
    // Claimed for this process by restore_command as it started it: the lock is ours.
    rmSync(join(spool, names[1] ?? ''))
    await claimSpoolLock(spool, process.pid)
    await claimSpoolLock(spool, process.ppid)
    expect(readFileSync(join(spool, 'lock'), 'utf8')).toBe(String(process.pid))
    expect(await fillSpool(repo, spool, [names[1] ?? ''])).toEqual([names[1]])
    expect(existsSync(join(spool, 'lock'))).toBe(false)
  })

  it('follows recovery: keeps the spool filled as segments are taken, up to the end of the archive', async () => {
    const { repo, names, pgWal } = await archiveOf(8)
    const spool = join(pgWal, SPOOL_DIR_NAME)
    mkdirSync(spool)
    const follower = fillSpool(repo, spool, names.slice(1, 3), { depth: 2, segmentSize: MB, pollMs: 2, idleMs: 2000 })
    // Recovery: take each segment as soon as the spool has it; the spool never holds more than depth.
    for (const name of names.slice(1)) {
      const path = join(spool, name)
      for (let waited = 0; !existsSync(path); waited += 1) {
        expect(waited).toBeLessThan(2000)
        expect(readdirSync(spool).filter((entry) => /^[0-9A-F]{24}$/.test(entry)).length).toBeLessThanOrEqual(2)
        await new Promise((resolve) => setTimeout(resolve, 1))
      }
      // Buffer.equals: toEqual compares a megabyte element by element (seconds, with the follower starved).
      expect(readFileSync(path).equals(segmentAs(name))).toBe(true)
      rmSync(path)
    }
    // The next segment is not archived: the follower ends by itself and lets the lock go.
    expect(await follower).toEqual(names.slice(1))
    expect(existsSync(join(spool, 'lock'))).toBe(false)
  })

  it('stops following when recovery asks for another timeline, and goes on after a segment recovery fetched itself', async () => {
    const { repo, names, pgWal } = await archiveOf(6)
    const spool = join(pgWal, SPOOL_DIR_NAME)
    mkdirSync(spool)
    // restore_command fetched names[3] itself: the follower skips to what comes after it.
    writeFileSync(join(spool, 'wanted'), `${names[3]}\n`)
    const follower = fillSpool(repo, spool, names.slice(0, 1), { depth: 1, segmentSize: MB, pollMs: 2, idleMs: 2000 })
    for (let waited = 0; !existsSync(join(spool, names[4] ?? '')); waited += 1) {
      expect(waited).toBeLessThan(2000)
      if (existsSync(join(spool, names[0] ?? ''))) {
        rmSync(join(spool, names[0] ?? ''))
      }
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
    expect(existsSync(join(spool, names[1] ?? ''))).toBe(false)
    writeFileSync(join(spool, 'wanted'), '000000020000000000000015\n')
    rmSync(join(spool, names[4] ?? ''))
    expect(await follower).toEqual([names[0], names[4]])
  })
})
