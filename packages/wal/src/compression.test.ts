import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { compressWal, decompressWal, parseCompressionSpec } from './compression.js'
import { decodeArchivedHeader, encodeArchivedHeader } from './archived-file.js'
import { WalUsageError } from './errors.js'

describe('compression', () => {
  it('parses --compress specs', () => {
    expect(parseCompressionSpec('gzip')).toEqual({ method: 'gzip' })
    expect(parseCompressionSpec('gzip:9')).toEqual({ method: 'gzip', level: 9 })
    expect(parseCompressionSpec('ZSTD:19')).toEqual({ method: 'zstd', level: 19 })
    expect(parseCompressionSpec('lz4')).toEqual({ method: 'lz4' })
    expect(parseCompressionSpec('none')).toEqual({ method: 'none' })
    for (const bad of ['', 'bzip2', 'gzip:0', 'gzip:10', 'zstd:23', 'zstd:x', 'lz4:1', 'gzip:1:2', 'none:1', 'gzip:']) {
      expect(() => parseCompressionSpec(bad), bad).toThrow(WalUsageError)
    }
  })

  it('round-trips every codec and calls damaged data corrupt', async () => {
    const data = Buffer.from('WAL '.repeat(10000))
    for (const method of ['none', 'gzip', 'lz4', 'zstd'] as const) {
      const packed = await compressWal(data, { method })
      expect((await decompressWal(packed, method, 'x')).equals(data)).toBe(true)
      if (method !== 'none') {
        await expect(decompressWal(Buffer.from('not compressed at all'), method, 'x')).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WAL_CORRUPT' })
      }
    }
  })

  it('compresses a segment as two gzip members that gzip itself reads back as one stream', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024)
    for (let offset = 0; offset < bytes.length; offset += 4) {
      bytes.writeUInt32LE((offset * 2654435761) >>> 0, offset)
    }
    const compressed = await compressWal(bytes, { method: 'gzip' })
    // A gzip trailer ends with the size of its member's input: the last member holds the second half.
    expect(compressed.readUInt32LE(compressed.length - 4)).toBe(bytes.length / 2)
    expect((await decompressWal(compressed, 'gzip', 'x')).equals(bytes)).toBe(true)
    expect(execFileSync('gzip', ['-dc'], { input: compressed, maxBuffer: 8 * 1024 * 1024 }).equals(bytes)).toBe(true)
  })

  it('encodes and decodes the archived file header', () => {
    const info = { sha256: 'ab'.repeat(32), size: 16777216, compression: 'zstd' as const }
    const header = encodeArchivedHeader(info)
    expect(header.toString()).toBe(`TIDEMARK-WAL 1 sha256=${'ab'.repeat(32)} size=16777216 compression=zstd\n`)
    expect(decodeArchivedHeader(Buffer.concat([header, Buffer.from('payload')]), 'x')).toEqual({ info, payloadOffset: header.byteLength })
    for (const bad of ['', 'TIDEMARK-WAL 1 sha256=ab size=1 compression=none\n', header.toString().replace('zstd', 'brotli'), header.toString().slice(0, -1)]) {
      expect(() => decodeArchivedHeader(Buffer.from(bad), 'x')).toThrow(/not a tidemark-wal archived file/)
    }
  })
})
