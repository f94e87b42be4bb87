import { describe, expect, it } from 'vitest'
import {
  GS_TAR_HEADER_SIZE,
  GS_TAR_INJECTED_FILE_MODE,
  buildGsTarArchive,
  decodeGsTarHeader,
  encodeGsTarEntry,
  encodeGsTarHeader,
  gsTarEntryFrames,
  gsTarEntrySize,
  gsTarPadding,
} from './gs-tar.js'

const latin = (buf: Buffer, start: number, end: number): string => buf.toString('latin1', start, end)

/** Every byte outside the given ranges is zero: no magic, checksum, uid/gid or mtime. */
function zeroOutside(header: Buffer, ranges: [number, number][]): boolean {
  return header.every((byte, i) => byte === 0 || ranges.some(([s, e]) => i >= s && i < e))
}

describe('gs_tar header', () => {
  it('lays a regular file out at the reference offsets', () => {
    const header = encodeGsTarHeader({ name: 'base/1/1259', kind: 'file', content: Buffer.alloc(16384) })
    expect(header.length).toBe(2560)
    expect(latin(header, 0, 12)).toBe('base/1/1259\0')
    expect(latin(header, 1024, 1033)).toBe('0100600 \0')
    expect(latin(header, 1048, 1060)).toBe('00000040000\0')
    expect(latin(header, 1080, 1082)).toBe('0\0')
    expect(zeroOutside(header, [[0, 11], [1024, 1032], [1048, 1059], [1080, 1081]])).toBe(true)
  })

  it('adds a slash to a directory name, size 0, type 5', () => {
    const header = encodeGsTarHeader({ name: 'pg_xlog', kind: 'directory' })
    expect(latin(header, 0, 9)).toBe('pg_xlog/\0')
    expect(latin(header, 1024, 1032)).toBe('0040700 ')
    expect(latin(header, 1048, 1059)).toBe('00000000000')
    expect(latin(header, 1080, 1081)).toBe('5')
  })

  it('writes an absolute link as type 2 and a PGDATA-relative one as type 3, target at 1081', () => {
    const absolute = encodeGsTarHeader({ name: 'pg_tblspc/16400', kind: 'symlink', linkTarget: '/srv/tbs' })
    expect(latin(absolute, 0, 17)).toBe('pg_tblspc/16400/\0')
    expect(latin(absolute, 1024, 1032)).toBe('0120777 ')
    expect(latin(absolute, 1080, 1081)).toBe('2')
    expect(latin(absolute, 1081, 1090)).toBe('/srv/tbs\0')
    const relative = encodeGsTarHeader({ name: 'pg_tblspc/16410', kind: 'relative-symlink', linkTarget: 'pg_location/t' })
    expect(latin(relative, 1080, 1081)).toBe('3')
    expect(latin(relative, 1081, 1095)).toBe('pg_location/t\0')
  })

  it('writes an injected file mode without type bits', () => {
    const header = encodeGsTarHeader({ name: 'backup_label', kind: 'file', mode: GS_TAR_INJECTED_FILE_MODE, content: 'x' })
    expect(latin(header, 1024, 1032)).toBe('0000600 ')
  })

  it('takes names up to 1023 bytes and refuses longer ones', () => {
    const name = 'a'.repeat(1023)
    expect(decodeGsTarHeader(encodeGsTarHeader({ name, kind: 'file' })).name).toBe(name)
    expect(() => encodeGsTarHeader({ name: `${name}b`, kind: 'file' })).toThrow(/1\.\.1023/)
    expect(() => encodeGsTarHeader({ name, kind: 'directory' })).toThrow(/1\.\.1023/)
  })

  it('refuses a size beyond 11 octal digits', () => {
    expect(() => encodeGsTarHeader({ name: 'big', kind: 'file' }, 8 ** 11)).toThrow(/too large/)
    expect(latin(encodeGsTarHeader({ name: 'big', kind: 'file' }, 8 ** 11 - 1), 1048, 1059)).toBe('77777777777')
  })

  it('decodes what it encodes', () => {
    const header = decodeGsTarHeader(encodeGsTarHeader({ name: 'a/b', kind: 'file', content: 'hello', mode: 0o100644 }))
    expect(header).toEqual({ name: 'a/b', mode: 0o100644, size: 5, type: '0', linkTarget: '' })
  })
})

describe('gs_tar entries and archives', () => {
  it('pads data to 512 bytes, not to the header size', () => {
    expect(gsTarPadding(0)).toBe(0)
    expect(gsTarPadding(1)).toBe(511)
    expect(gsTarPadding(512)).toBe(0)
    expect(gsTarPadding(513)).toBe(511)
    const entry = encodeGsTarEntry({ name: 'f', kind: 'file', content: 'abc' })
    expect(entry.length).toBe(GS_TAR_HEADER_SIZE + 512)
    expect(latin(entry, 2560, 2563)).toBe('abc')
    expect(entry.subarray(2563).every((b) => b === 0)).toBe(true)
    expect(gsTarEntrySize({ name: 'f', kind: 'file', content: 'abc' })).toBe(3072)
  })

  it('frames an entry as the server does: header, 32 kB chunks, padding alone', () => {
    const frames = gsTarEntryFrames({ name: 'f', kind: 'file', content: Buffer.alloc(70_000, 1) })
    expect(frames.map((f) => f.length)).toEqual([2560, 32768, 32768, 4464, 144])
    expect(gsTarEntryFrames({ name: 'd', kind: 'directory' }).map((f) => f.length)).toEqual([2560])
    expect(gsTarEntryFrames({ name: 'e', kind: 'file', content: '' }).map((f) => f.length)).toEqual([2560])
  })

  it('puts entries back to back with no end-of-archive marker', () => {
    const archive = buildGsTarArchive([
      { name: 'd', kind: 'directory' },
      { name: 'd/f', kind: 'file', content: 'x'.repeat(600) },
    ])
    expect(archive.length).toBe(2560 + 2560 + 1024)
    expect(decodeGsTarHeader(archive.subarray(2560, 5120)).name).toBe('d/f')
  })
})
