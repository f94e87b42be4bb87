import { describe, expect, it } from 'vitest'
import { ArchiveCorruptError, ArchiveTruncatedError } from './errors.js'
import type { TarHeader } from './tar-entry.js'
import { TarPushParser, type EntrySink } from './tar-push-parser.js'
import { readTar } from './tar-reader.js'
import { SAMPLE_LONG_NAME, SAMPLE_MTIME, buildGsTar, pieces, readAll, sampleTar } from './testing/archives.js'
import { sampleBytes } from './testing/streams.js'

const LONG = SAMPLE_LONG_NAME

const sample = (): Promise<Buffer> => sampleTar([[{ name: 'empty', mtime: SAMPLE_MTIME }, Buffer.alloc(0)]])

interface Parsed {
  header: TarHeader
  data: Buffer
  ended: boolean
}

/** Pushes `data` in pieces of `size` bytes through a buffer that is overwritten after each push, as the socket's is. */
function parse(data: Buffer, size: number, options: { archive?: string; format?: 'tar' | 'gs_tar'; finish?: boolean } = {}): Parsed[] {
  const parsed: Parsed[] = []
  const parser = new TarPushParser({
    ...options,
    onEntry: (header) => {
      const entry: Parsed = { header, data: Buffer.alloc(0), ended: false }
      parsed.push(entry)
      const sink: EntrySink = {
        write: (piece) => {
          entry.data = Buffer.concat([entry.data, piece])
        },
        flush: () => undefined,
        end: () => {
          entry.ended = true
        },
      }
      return sink
    },
  })
  const reused = Buffer.alloc(size)
  for (let at = 0; at < data.length; at += size) {
    const piece = data.subarray(at, at + size)
    piece.copy(reused)
    parser.push(reused.subarray(0, piece.length))
    parser.flush()
    reused.fill(0xee)
  }
  if (options.finish ?? true) {
    parser.finish()
  }
  return parsed
}

describe('tar push parser', () => {
  it('reads the same entries as readTar, whatever the pieces, from a buffer reused between pushes', async () => {
    const tar = await sample()
    const expected = await readAll(readTar(pieces(tar, 4096)))
    for (const size of [1, 7, 321, 512, 513, 4096, tar.length]) {
      const parsed = parse(tar, size)
      expect(parsed.map((entry) => entry.header)).toEqual(expected.map((entry) => entry.header))
      expect(parsed.map((entry) => entry.data)).toEqual(expected.map((entry) => entry.data))
      expect(parsed.every((entry) => entry.ended)).toBe(true)
    }
  })

  it('reads gs_tar as readTar does', async () => {
    const gs = buildGsTar([
      { name: './base/1/1259', mode: 0o600, type: '0', data: sampleBytes(3000) },
      { name: './pg_location/ts1', mode: 0o700, type: '5' },
      { name: './pg_tblspc/16385', mode: 0o777, type: '3', linkname: 'pg_location/ts1' },
    ])
    const expected = await readAll(readTar(pieces(gs, 1000), { format: 'gs_tar' }))
    for (const size of [100, 2560, 2561, gs.length]) {
      const parsed = parse(gs, size, { format: 'gs_tar' })
      expect(parsed.map((entry) => entry.header)).toEqual(expected.map((entry) => entry.header))
      expect(parsed.map((entry) => entry.data)).toEqual(expected.map((entry) => entry.data))
    }
  })

  it('skips the bodies of entries it is given no sink for, and stops at the end marker', async () => {
    const tar = Buffer.concat([await sample(), Buffer.from('trailing bytes after the end are ignored')])
    const names: string[] = []
    const parser = new TarPushParser({
      onEntry: (header) => {
        names.push(header.name)
        return undefined
      },
    })
    parser.push(tar)
    parser.finish()
    expect(parser.ended).toBe(true)
    expect(names).toEqual(['global', 'global/pg_control', LONG, 'pg_tblspc/16384', 'empty', 'odd'])
  })

  it('accepts an archive without an end marker that ends between entries (PostgreSQL 13–14 on the wire)', async () => {
    const tar = await sample()
    expect(parse(tar.subarray(0, tar.length - 1024), 999)).toHaveLength(6)
  })

  it('refuses an archive cut inside an entry or a header, naming the archive and the offset', async () => {
    const tar = await sample()
    expect(() => parse(tar.subarray(0, 512 + 512 + 4000), 333, { archive: 'base.tar' })).toThrow(
      new ArchiveTruncatedError('base.tar', 5024, 'entry data')
    )
    expect(() => parse(tar.subarray(0, 700), 64, { archive: 'a.tar' })).toThrow('a.tar: truncated header at byte offset 700')
  })

  it('refuses a corrupt header with its offset', async () => {
    const tar = Buffer.from(await sample())
    tar[522] = (tar[522] as number) ^ 0x20
    const error = (() => {
      try {
        parse(tar, 4096, { archive: 'b.tar' })
        return undefined
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(ArchiveCorruptError)
    expect((error as Error).message).toBe(
      'b.tar: corrupt archive at byte offset 512: header checksum mismatch (not a tar archive, or still compressed?)'
    )
  })
})
