// Compressors and decompressors as Transform streams with backpressure. Compression is parallel:
// blocks of 1 MiB become independent gzip members / lz4 frames / zstd frames, compressed on
// libuv's thread pool (zlib's async API, lz4-napi, @mongodb-js/zstd), emitted in order.
import { PassThrough } from 'node:stream'
import type { Duplex, Transform } from 'node:stream'
import { promisify } from 'node:util'
import { Gunzip, gzip } from 'node:zlib'
import type { ZlibOptions } from 'node:zlib'
import type * as ZstdModule from '@mongodb-js/zstd'
import type * as Lz4Module from 'lz4-napi'
import { BlockCompressor } from './block-compressor.js'
import type { BlockCompressFunction, BlockCompressorOptions } from './block-compressor.js'
import { codecSpec } from './codec-spec.js'
import type { Codec, CodecSpec } from './codec-spec.js'
import { DecompressError } from './errors.js'
import { Lz4Decompressor } from './lz4-decompressor.js'
import { ZstdDecompressor } from './zstd-decompressor.js'

const gzipAsync = promisify(gzip) as (buffer: Buffer, options: ZlibOptions) => Promise<Buffer>
/** Room for gzip's header and the growth of incompressible input. */
const GZIP_CHUNK_SLACK = 64 * 1024

// The native codecs are loaded on first use: loading them (and their libc detection) costs every
// start of every command, and most runs never compress with lz4 or zstd.
let lz4Module: Promise<typeof Lz4Module> | undefined
let zstdModule: Promise<typeof ZstdModule> | undefined
const loadLz4 = (): Promise<typeof Lz4Module> => (lz4Module ??= import('lz4-napi'))
const loadZstd = (): Promise<typeof ZstdModule> => (zstdModule ??= import('@mongodb-js/zstd'))

/** The block function of a codec: one block in, one self-contained member/frame out. */
export function blockCompressFunction(spec: CodecSpec): BlockCompressFunction {
  switch (spec.codec) {
    case 'gzip':
      // An output buffer the size of the block: zlib's default 16 kB hands every 16 kB of output back
      // to the main thread before the pool thread goes on, and a busy main thread then idles the cores.
      return (block) => gzipAsync(block, { level: spec.level, chunkSize: block.length + GZIP_CHUNK_SLACK })
    case 'lz4':
      // lz4-napi (lz4_flex) has one speed; the level is accepted for compatibility and unused.
      return async (block) => (await loadLz4()).compressFrame(block)
    case 'zstd':
      return async (block) => (await loadZstd()).compress(block, spec.level)
    case 'none':
      return (block) => Promise.resolve(block)
  }
}

/** A compressing Transform for the codec (a PassThrough for `none`). */
export function createCompressor(spec: CodecSpec | Codec, options: BlockCompressorOptions = {}): Transform {
  const resolved = typeof spec === 'string' ? codecSpec(spec) : spec
  if (resolved.codec === 'none') {
    return new PassThrough()
  }
  return new BlockCompressor(blockCompressFunction(resolved), options)
}

class TypedGunzip extends Gunzip {
  #consumed = 0
  constructor(readonly archive: string) {
    // 256 kB of output per pool round trip instead of zlib's 16 kB.
    super({ chunkSize: 256 * 1024 })
  }
  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.#consumed += chunk.length
    super._transform(chunk, encoding, callback)
  }
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    super._destroy(error, (destroyError?: Error | null) => {
      const failure = destroyError ?? error
      callback(
        failure && !(failure instanceof DecompressError)
          ? new DecompressError(`${this.archive}: invalid gzip data near compressed byte offset ${this.#consumed}: ${failure.message}`, { cause: failure })
          : failure
      )
    })
  }
}

/** A decompressing Transform; every codec accepts concatenated members/frames. */
export function createDecompressor(codec: Codec, archive = `${codec} stream`): Duplex {
  switch (codec) {
    case 'gzip':
      return new TypedGunzip(archive)
    case 'lz4':
      return new Lz4Decompressor(archive)
    case 'zstd':
      return new ZstdDecompressor(archive)
    case 'none':
      return new PassThrough()
  }
}
