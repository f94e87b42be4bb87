import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ArchiveCorruptError, ArchiveTruncatedError } from './errors.js'
import { readTar } from './tar-reader.js'
import { SAMPLE_LONG_NAME, SAMPLE_MTIME, pieces, readAll, sampleTar } from './testing/archives.js'
import { hasTool, run, sampleBytes } from './testing/streams.js'

const MTIME = SAMPLE_MTIME
const LONG = SAMPLE_LONG_NAME
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true })
  }
})

const sample = (): Promise<Buffer> => sampleTar()

describe('tar reader', () => {
  it('reads back entries, long names and link targets, whatever the chunking', async () => {
    const tar = await sample()
    for (const size of [1, 7, 321, 512, 4096, tar.length]) {
      const entries = await readAll(readTar(pieces(tar, size), { archive: 'base.tar' }))
      expect(entries.map((entry) => [entry.header.name, entry.header.type, entry.header.size, entry.header.mode])).toEqual([
        ['global', 'directory', 0, 0o700],
        ['global/pg_control', 'file', 8192, 0o600],
        [LONG, 'file', 1000, 0o640],
        ['pg_tblspc/16384', 'symlink', 0, 0o777],
        ['odd', 'file', 1, 0o600],
      ])
      expect(entries[1]?.data.equals(sampleBytes(8192))).toBe(true)
      expect(entries[2]?.data.equals(sampleBytes(1000, 5))).toBe(true)
      expect(entries[3]?.header.linkname).toBe(`/srv/${'t'.repeat(130)}`)
      expect(entries[1]?.header.mtime).toEqual(MTIME)
      expect(entries[1]?.header.offset).toBe(512)
    }
  })

  it('skips bodies the consumer does not read', async () => {
    const names: string[] = []
    for await (const { header } of readTar(pieces(await sample(), 100))) {
      names.push(header.name)
    }
    expect(names).toHaveLength(5)
  })

  it('reads archives GNU tar writes (gnu, posix/pax, ustar, v7 formats)', async (context) => {
    if (!hasTool('tar')) {
      console.warn('skipped: tar is not installed')
      context.skip()
    }
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-read-'))
    dirs.push(dir)
    const src = join(dir, 'src')
    mkdirSync(join(src, 'd'.repeat(120)), { recursive: true })
    writeFileSync(join(src, 'd'.repeat(120), 'f'.repeat(110)), sampleBytes(3000))
    writeFileSync(join(src, 'small'), 'hi')
    symlinkSync(`/elsewhere/${'l'.repeat(120)}`, join(src, 'link'))
    for (const format of ['gnu', 'posix', 'v7']) {
      const file = join(dir, `${format}.tar`)
      const made = run('tar', [`--format=${format}`, '-cf', file, '-C', src, '.'])
      if (format === 'v7') {
        continue // v7 cannot hold these long names: tar refuses, which is fine.
      }
      expect(made.status).toBe(0)
      const entries = await readAll(readTar(pieces(run('cat', [file]).stdout, 999)))
      const byName = new Map(entries.map((entry) => [entry.header.name, entry]))
      expect(byName.get(`${'d'.repeat(120)}/${'f'.repeat(110)}`)?.data.equals(sampleBytes(3000))).toBe(true)
      expect(byName.get('small')?.data.toString()).toBe('hi')
      expect(byName.get('link')?.header.linkname).toBe(`/elsewhere/${'l'.repeat(120)}`)
      expect(byName.get('.')?.header.type).toBe('directory')
    }
  })

  it('refuses an archive cut inside an entry, naming the archive and the offset', async () => {
    const tar = await sample()
    const cut = tar.subarray(0, 512 + 512 + 4000)
    await expect(readAll(readTar(pieces(cut, 333), { archive: 'base.tar' }))).rejects.toThrow(
      new ArchiveTruncatedError('base.tar', 5024, 'data of entry "global/pg_control"')
    )
    await expect(readAll(readTar(pieces(cut, 333), { archive: 'base.tar' }))).rejects.toThrow(
      'base.tar: truncated data of entry "global/pg_control" at byte offset 5024; the file is incomplete, take or copy it again'
    )
  })

  it('refuses an archive cut inside a header or before its end marker', async () => {
    const tar = await sample()
    await expect(readAll(readTar(pieces(tar.subarray(0, 700), 64), { archive: 'a.tar' }))).rejects.toThrow(
      'a.tar: truncated header at byte offset 700'
    )
    const withoutEnd = tar.subarray(0, tar.length - 1024)
    await expect(readAll(readTar(pieces(withoutEnd, 4096), { archive: 'a.tar' }))).rejects.toThrow(
      `a.tar: truncated archive: no end-of-archive marker at byte offset ${withoutEnd.length}`
    )
    expect(await readAll(readTar(pieces(withoutEnd, 4096), { requireEndMarker: false }))).toHaveLength(5)
  })

  it('refuses a corrupt header with its offset', async () => {
    const tar = Buffer.from(await sample())
    tar[522] = (tar[522] as number) ^ 0x20
    const error = await readAll(readTar(pieces(tar, 4096), { archive: 'b.tar' })).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ArchiveCorruptError)
    expect((error as Error).message).toBe(
      'b.tar: corrupt archive at byte offset 512: header checksum mismatch (not a tar archive, or still compressed?)'
    )
  })
})
