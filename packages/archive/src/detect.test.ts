import { describe, expect, it } from 'vitest'
import { createCompressor } from './codecs.js'
import type { Codec } from './codec-spec.js'
import { detectArchiveFormat, detectCompression, openArchive } from './detect.js'
import { ArchiveTruncatedError, DecompressError, UnknownFormatError } from './errors.js'
import { buildGsTar, buildTar, pieces, readAll } from './testing/archives.js'
import { sampleBytes, through } from './testing/streams.js'

describe('format detection', () => {
  it('recognises compression magics and tar/gs_tar headers from bytes', async () => {
    expect(detectCompression(Buffer.from([0x1f, 0x8b, 8, 0]))).toBe('gzip')
    expect(detectCompression(Buffer.from([0x04, 0x22, 0x4d, 0x18]))).toBe('lz4')
    expect(detectCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))).toBe('zstd')
    expect(detectCompression(Buffer.from('base'))).toBeUndefined()
    expect(detectArchiveFormat(await buildTar([[{ name: 'a' }, Buffer.from('x')]]))).toBe('tar')
    expect(detectArchiveFormat(Buffer.alloc(1024))).toBe('tar')
    expect(detectArchiveFormat(buildGsTar([{ name: 'a', type: '0', mode: 0o600, data: Buffer.from('x') }]))).toBe('gs_tar')
    expect(detectArchiveFormat(sampleBytes(4096))).toBeUndefined()
  })

  const codecs: Codec[] = ['none', 'gzip', 'lz4', 'zstd']
  for (const codec of codecs) {
    it(`opens ${codec === 'none' ? 'plain' : codec} tar and gs_tar and reads their entries`, async () => {
      const tar = await buildTar([[{ name: 'PG_VERSION' }, Buffer.from('15\n')], [{ name: 'base/1/1' }, sampleBytes(20000)]])
      const gs = buildGsTar([{ name: 'PG_VERSION', type: '0', mode: 0o600, data: Buffer.from('9.2\n') }])
      for (const [bytes, format] of [[tar, 'tar'], [gs, 'gs_tar']] as const) {
        const stored = codec === 'none' ? bytes : await through(bytes, [createCompressor(codec, { blockSize: 4096 })])
        const opened = await openArchive(pieces(stored, 1000), { archive: `x.tar` })
        expect([opened.compression, opened.format]).toEqual([codec, format])
        const entries = await readAll(opened.entries)
        expect(entries[0]?.header.name).toBe('PG_VERSION')
      }
    })
  }

  it('refuses a cut compressed archive with a typed error naming it', async () => {
    const tar = await buildTar([[{ name: 'base/1/1' }, sampleBytes(200_000)], [{ name: 'base/1/2' }, sampleBytes(200_000, 2)]])
    const gz = await through(tar, [createCompressor('gzip')])
    const cut = await openArchive(pieces(gz.subarray(0, gz.length - 50), 1000), { archive: 'base.tar.gz' })
    const error = await readAll(cut.entries).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DecompressError)
    expect((error as Error).message).toMatch(/^base\.tar\.gz: invalid gzip data near compressed byte offset \d+: unexpected end of file$/)
    // Cut exactly between two zstd frames: the compressed layer is whole, the tar is not.
    const zst = Buffer.concat([await through(tar.subarray(0, 65536), [createCompressor('zstd')]), await through(tar.subarray(65536, 131072), [createCompressor('zstd')])])
    const boundary = await openArchive(pieces(zst, 1000), { archive: 'base.tar.zst' })
    await expect(readAll(boundary.entries)).rejects.toThrow(new ArchiveTruncatedError('base.tar.zst', 131072, 'data of entry "base/1/1"'))
  })

  it('refuses bytes that are no archive', async () => {
    await expect(openArchive(pieces(sampleBytes(5000), 100), { archive: 'notes.txt' })).rejects.toThrow(
      new UnknownFormatError('notes.txt', 'unrecognised first bytes')
    )
    const gz = await through(sampleBytes(5000), [createCompressor('gzip')])
    await expect(openArchive(pieces(gz, 100), { archive: 'x.gz' })).rejects.toThrow(
      'x.gz: not a tar, gs_tar, gzip, lz4 or zstd archive (gzip stream does not hold a tar)'
    )
  })
})
