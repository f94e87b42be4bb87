import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checksumOf } from './checksum.js'
import { ArchiveCorruptError, ArchiveTruncatedError } from './errors.js'
import { convertedLinkTarget, createGsTarConverter, gsTarToTar } from './gs-tar-convert.js'
import { GS_TAR_HEADER_SIZE, decodeGsTarHeader, encodeGsTarHeader } from './gs-tar-header.js'
import { readTar } from './tar-reader.js'
import { buildGsTar, pieces, readAll } from './testing/archives.js'
import type { GsEntry } from './testing/archives.js'
import { collect, hasTool, run, sampleBytes, through } from './testing/streams.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true })
  }
})

const ENTRIES: GsEntry[] = [
  { name: 'backup_label', type: '0', mode: 0o100600, data: Buffer.from('START WAL LOCATION: 0/5000028 (file 000000010000000000000005)\n') },
  { name: 'global/', type: '5', mode: 0o40700 },
  { name: 'global/pg_control', type: '0', mode: 0o100600, data: sampleBytes(8192, 4) },
  { name: 'base/1/12345_fsm', type: '0', mode: 0o100640, data: sampleBytes(1000, 8) },
  { name: 'pg_tblspc/16385/', type: '3', mode: 0o120777, linkname: 'pg_location/tbs1' },
  { name: 'pg_tblspc/16386/', type: '2', mode: 0o120777, linkname: '/data/tbs2' },
  { name: 'empty', type: '0', mode: 0o100600, data: Buffer.alloc(0) },
]

describe('gs_tar headers', () => {
  it('encode to the server layout (golden bytes)', () => {
    const block = encodeGsTarHeader({ name: 'base/1/1259', mode: 0o100600, size: 8192, type: '0' })
    expect(block.length).toBe(2560)
    expect(block.subarray(0, 12).toString('latin1')).toBe('base/1/1259\0')
    expect(block.subarray(1024, 1032).toString('latin1')).toBe('0100600 ')
    expect(block.subarray(1032, 1048).equals(Buffer.alloc(16))).toBe(true)
    expect(block.subarray(1048, 1060).toString('latin1')).toBe('00000020000\0')
    expect(block[1080]).toBe(0x30)
    expect(block.subarray(1081).equals(Buffer.alloc(2560 - 1081))).toBe(true)
    const link = encodeGsTarHeader({ name: 'pg_tblspc/16385', mode: 0o777, size: 0, type: '3', linkname: 'pg_location/x' })
    expect(link.subarray(0, 17).toString('latin1')).toBe('pg_tblspc/16385/\0')
    expect(link.subarray(1080, 1095).toString('latin1')).toBe('3pg_location/x\0')
  })

  it('decode, masking the file-type bits off the mode and the slash off links', () => {
    expect(decodeGsTarHeader(encodeGsTarHeader({ name: 'pg_tblspc/1/', mode: 0o120777, size: 0, type: '2', linkname: '/t' }))).toEqual({
      name: 'pg_tblspc/1',
      mode: 0o777,
      size: 0,
      type: '2',
      linkname: '/t',
    })
    expect(decodeGsTarHeader(Buffer.alloc(GS_TAR_HEADER_SIZE))).toBeNull()
    const bad = encodeGsTarHeader({ name: 'x', mode: 0o600, size: 1, type: '0' })
    bad[1080] = 0x37
    expect(() => decodeGsTarHeader(bad)).toThrow('unknown gs_tar entry type "7"')
  })
})

describe('gs_tar reader', () => {
  const archive = buildGsTar(ENTRIES)
  const expected = ENTRIES.map((entry) => ({
    name: entry.name.replace(/\/$/, ''),
    data: entry.data ?? Buffer.alloc(0),
  }))

  it('parses the same entries when the stream is split at every byte boundary', async () => {
    for (let cut = 0; cut <= archive.length; cut++) {
      const entries = await readAll(readTar(pieces(archive, [cut]), { format: 'gs_tar' }))
      expect(entries.length).toBe(expected.length)
      for (let i = 0; i < expected.length; i++) {
        const entry = entries[i]
        if (!entry || entry.header.name !== expected[i]?.name || !entry.data.equals(expected[i]?.data ?? Buffer.alloc(0))) {
          throw new Error(`split at ${cut}: entry ${i} differs`)
        }
      }
    }
  })

  it('reports types, modes, links and offsets', async () => {
    const entries = await readAll(readTar(pieces(archive, 1000), { format: 'gs_tar' }))
    expect(entries.map((entry) => [entry.header.type, entry.header.mode, entry.header.linkname, entry.header.linkRelativeToRoot])).toEqual([
      ['file', 0o600, '', false],
      ['directory', 0o700, '', false],
      ['file', 0o600, '', false],
      ['file', 0o640, '', false],
      ['symlink', 0o777, 'pg_location/tbs1', true],
      ['symlink', 0o777, '/data/tbs2', false],
      ['file', 0o600, '', false],
    ])
    expect(entries[1]?.header.offset).toBe(2560 + 512)
  })

  it('refuses a cut stream and a corrupt header with the offset', async () => {
    await expect(readAll(readTar(pieces(archive.subarray(0, 2560 + 10), 100), { format: 'gs_tar', archive: 'base.tar' }))).rejects.toThrow(
      'base.tar: truncated data of entry "backup_label" at byte offset 2570'
    )
    await expect(readAll(readTar(pieces(archive.subarray(0, 3072 + 100), 100), { format: 'gs_tar', archive: 'base.tar' }))).rejects.toBeInstanceOf(
      ArchiveTruncatedError
    )
    const bad = Buffer.from(archive)
    bad[3072 + 1080] = 0x39
    await expect(readAll(readTar(pieces(bad, 4096), { format: 'gs_tar', archive: 'base.tar' }))).rejects.toThrow(
      new ArchiveCorruptError('base.tar', 3072, 'invalid gs_tar header: unknown gs_tar entry type "9"')
    )
  })
})

describe('gs_tar to POSIX tar', () => {
  it('re-anchors PGDATA-relative links from the link directory', () => {
    expect(convertedLinkTarget({ name: 'pg_tblspc/16385', linkname: 'pg_location/tbs1', linkRelativeToRoot: true })).toBe('../pg_location/tbs1')
    expect(convertedLinkTarget({ name: 'pg_xlog', linkname: '/wal', linkRelativeToRoot: false })).toBe('/wal')
  })

  it('converts on the fly into a tar GNU tar extracts byte for byte with modes and links', async (context) => {
    const tar = await collect(gsTarToTar(pieces(buildGsTar(ENTRIES), 777), { mtime: new Date(Date.UTC(2024, 0, 1)) }))
    const entries = await readAll(readTar(pieces(tar, 4096)))
    expect(entries.map((entry) => entry.header.name)).toEqual(ENTRIES.map((entry) => entry.name.replace(/\/$/, '')))
    if (!hasTool('tar')) {
      console.warn('skipped: tar is not installed')
      context.skip()
    }
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-gstar-'))
    dirs.push(dir)
    writeFileSync(join(dir, 'base.tar'), tar)
    const out = join(dir, 'out')
    expect(run('sh', ['-c', `mkdir ${out} && tar -xpf ${join(dir, 'base.tar')} -C ${out}`]).status).toBe(0)
    expect(readFileSync(join(out, 'global/pg_control')).equals(sampleBytes(8192, 4))).toBe(true)
    expect(statSync(join(out, 'base/1/12345_fsm')).mode & 0o777).toBe(0o640)
    expect(readlinkSync(join(out, 'pg_tblspc/16385'))).toBe('../pg_location/tbs1')
    expect(readlinkSync(join(out, 'pg_tblspc/16386'))).toBe('/data/tbs2')
  })

  it('works as a Duplex in a pipeline', async () => {
    const tar = await through(buildGsTar(ENTRIES), [createGsTarConverter()], 999)
    const entries = await readAll(readTar(pieces(tar, 4096)))
    expect(entries[2]?.data.equals(sampleBytes(8192, 4))).toBe(true)
    await expect(through(buildGsTar(ENTRIES).subarray(0, 3000), [createGsTarConverter({ archive: 'x' })])).rejects.toBeInstanceOf(ArchiveTruncatedError)
  })

  it('reports each converted file with its checksum', async () => {
    const files: string[] = []
    await collect(gsTarToTar(pieces(buildGsTar(ENTRIES), 4096), { checksum: 'CRC32C', onFile: (file) => files.push(`${file.name}:${file.size}:${file.checksum}`) }))
    expect(files).toEqual(
      ENTRIES.filter((entry) => entry.type === '0').map((entry) => `${entry.name}:${entry.data?.length}:${checksumOf('CRC32C', entry.data ?? Buffer.alloc(0))}`)
    )
  })

  it('fails the converted stream when the gs_tar is cut', async () => {
    const cut = buildGsTar(ENTRIES).subarray(0, 4000)
    await expect(collect(gsTarToTar(pieces(cut, 512), { archive: 'base.tar' }))).rejects.toBeInstanceOf(ArchiveTruncatedError)
  })
})
