import { Transform } from 'node:stream'
import { gunzipSync, gzipSync } from 'node:zlib'
import { compress as zstdCompress } from '@mongodb-js/zstd'
import { compressFrame } from 'lz4-napi'
import { describe, expect, it } from 'vitest'
import { BlockCompressor } from './block-compressor.js'
import { CODEC_LEVELS, codecSuffix, parseCodecSpec } from './codec-spec.js'
import type { Codec } from './codec-spec.js'
import { createCompressor, createDecompressor } from './codecs.js'
import { DecompressError } from './errors.js'
import { hasTool, run, sampleBytes, through } from './testing/streams.js'

const CODECS: Codec[] = ['gzip', 'lz4', 'zstd']
const CLI: Record<string, { tool: string; args: string[] }> = {
  gzip: { tool: 'gzip', args: ['-dc'] },
  lz4: { tool: 'lz4', args: ['-dc'] },
  zstd: { tool: 'zstd', args: ['-dcq'] },
}

describe('codec specs', () => {
  it('parse names, levels and defaults', () => {
    expect(parseCodecSpec('gzip')).toEqual({ codec: 'gzip', level: 6 })
    expect(parseCodecSpec('zstd:19')).toEqual({ codec: 'zstd', level: 19 })
    expect(parseCodecSpec('LZ4:level=3')).toEqual({ codec: 'lz4', level: 3 })
    expect(parseCodecSpec('none')).toEqual({ codec: 'none', level: 0 })
    expect(CODEC_LEVELS.zstd.default).toBe(3)
    expect(codecSuffix('zstd')).toBe('.zst')
  })

  it('refuse unknown codecs and levels out of range', () => {
    expect(() => parseCodecSpec('bzip2')).toThrow('invalid compression "bzip2"; use gzip, lz4, zstd or none, optionally with :LEVEL')
    expect(() => parseCodecSpec('gzip:10')).toThrow('gzip compression level must be between 1 and 9, not 10')
    expect(() => parseCodecSpec('zstd:x')).toThrow('invalid compression level "x" in "zstd:x"')
  })
})

describe('round trips', () => {
  const data = sampleBytes(2 * 1024 * 1024 + 12345, 3)

  for (const codec of CODECS) {
    it(`${codec}: compresses in parallel blocks and decodes back, fed in odd chunk sizes`, async () => {
      const compressed = await through(data, [createCompressor({ codec, level: CODEC_LEVELS[codec].default })], 100_003)
      expect(compressed.length).toBeLessThan(data.length)
      const back = await through(compressed, [createDecompressor(codec)], 777)
      expect(back.equals(data)).toBe(true)
    })

    it(`${codec}: the system CLI decodes the concatenated members/frames`, (context) => {
      const cli = CLI[codec] as { tool: string; args: string[] }
      if (!hasTool(cli.tool)) {
        console.warn(`skipped: ${cli.tool} is not installed`)
        context.skip()
      }
      return through(data, [createCompressor(codec, { blockSize: 256 * 1024 })]).then((compressed) => {
        const result = run(cli.tool, cli.args, compressed)
        expect(result.stderr).toBe('')
        expect(result.status).toBe(0)
        expect(result.stdout.equals(data)).toBe(true)
      })
    })

    it(`${codec}: an empty input gives a valid, empty stream`, async () => {
      const compressed = await through(Buffer.alloc(0), [createCompressor(codec)])
      expect(compressed.length).toBeGreaterThan(0)
      expect((await through(compressed, [createDecompressor(codec)])).length).toBe(0)
    })

    it(`${codec}: a truncated stream fails with a typed error`, async () => {
      const compressed = await through(data, [createCompressor(codec)])
      const cut = compressed.subarray(0, compressed.length - 100)
      const error = await through(cut, [createDecompressor(codec, 'base.tar' + codecSuffix(codec))]).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(DecompressError)
      expect((error as Error).message).toMatch(new RegExp(`^base\\.tar\\${codecSuffix(codec)}: invalid ${codec} data (at|near) compressed byte (offset )?\\d+: `))
    })
  }

  it('gzip -t accepts the parallel gzip output and decodes foreign single-member gzip', async (context) => {
    const compressed = await through(data, [createCompressor('gzip')])
    expect((await through(gzipSync(data), [createDecompressor('gzip')])).equals(data)).toBe(true)
    expect(gunzipSync(compressed).equals(data)).toBe(true)
    if (!hasTool('gzip')) {
      console.warn('skipped: gzip is not installed')
      context.skip()
    }
    expect(run('gzip', ['-t'], compressed).status).toBe(0)
  })

  it('lz4 and zstd decoders read foreign frames: CLI-made, native single frames, multi-frame', async () => {
    const lz4 = Buffer.concat([await compressFrame(data.subarray(0, 1000)), await compressFrame(data.subarray(1000))])
    expect((await through(lz4, [createDecompressor('lz4')], 4096)).equals(data)).toBe(true)
    const zstd = await zstdCompress(data, 5)
    expect((await through(zstd, [createDecompressor('zstd')], 4096)).equals(data)).toBe(true)
    for (const [codec, tool, args] of [
      ['lz4', 'lz4', ['-c', '-9']],
      ['lz4', 'lz4', ['-c', '-BD', '--content-size']],
      ['zstd', 'zstd', ['-c', '-q', '-3']],
    ] as const) {
      if (hasTool(tool)) {
        const made = run(tool, [...args], data)
        expect(made.status).toBe(0)
        expect((await through(made.stdout, [createDecompressor(codec)], 9999)).equals(data)).toBe(true)
      } else {
        console.warn(`skipped: ${tool} is not installed`)
      }
    }
  })
})

describe('lz4 integrity', () => {
  it('verifies the content checksum of CLI-made frames', async (context) => {
    if (!hasTool('lz4')) {
      console.warn('skipped: lz4 is not installed')
      context.skip()
    }
    const data = sampleBytes(300_000, 11)
    const made = run('lz4', ['-c', '--content-size', '-BX'], data).stdout
    expect((await through(made, [createDecompressor('lz4')], 5000)).equals(data)).toBe(true)
    const damaged = Buffer.from(made)
    damaged[damaged.length - 2] = (damaged[damaged.length - 2] as number) ^ 0xff
    await expect(through(damaged, [createDecompressor('lz4', 'base.tar.lz4')])).rejects.toThrow(
      /^base\.tar\.lz4: invalid lz4 data at compressed byte \d+: content checksum mismatch$/
    )
  })
})

describe('block compressor', () => {
  it('emits blocks in input order even when later blocks finish first', async () => {
    let calls = 0
    const compressor = new BlockCompressor(
      (block) => new Promise((resolve) => setTimeout(() => resolve(Buffer.from(block)), (5 - (calls++ % 5)) * 3)),
      { blockSize: 10, concurrency: 4 }
    )
    const input = sampleBytes(1000, 9)
    expect((await through(input, [compressor], 37)).equals(input)).toBe(true)
  })

  it('never has more than `concurrency` blocks in flight, and holds writes meanwhile', async () => {
    let inFlight = 0
    let most = 0
    const compressor = new BlockCompressor(
      async (block) => {
        inFlight++
        most = Math.max(most, inFlight)
        await new Promise((resolve) => setTimeout(resolve, 2))
        inFlight--
        return block
      },
      { blockSize: 1024, concurrency: 3 }
    )
    await through(sampleBytes(100 * 1024), [compressor], 5000)
    expect(most).toBe(3)
  })

  it('propagates a compression failure', async () => {
    const compressor = new BlockCompressor(() => Promise.reject(new Error('boom')), { blockSize: 10 })
    await expect(through(sampleBytes(100), [compressor, new Transform({ transform: (c, _e, cb) => cb(null, c) })])).rejects.toThrow('boom')
  })
})

describe('decoder backpressure', () => {
  for (const codec of ['lz4', 'zstd'] as const) {
    it(`${codec}: a highly compressed input does not flood a consumer that stops reading`, async () => {
      const zeros = await through(Buffer.alloc(64 * 1024 * 1024), [createCompressor(codec, { blockSize: 16 * 1024 * 1024 })])
      expect(zeros.length).toBeLessThan(1024 * 1024)
      const decoder = createDecompressor(codec)
      decoder.write(zeros)
      decoder.end()
      await new Promise((resolve) => setTimeout(resolve, 50))
      // Nobody reads: what was decoded and buffered stays far below the 64 MiB the input holds.
      expect(decoder.readableLength).toBeLessThan(16 * 1024 * 1024)
      let total = 0
      for await (const chunk of decoder) {
        total += (chunk as Buffer).length
      }
      expect(total).toBe(64 * 1024 * 1024)
    })
  }
})
