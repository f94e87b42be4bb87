// A Transform that cuts its input into fixed-size blocks, compresses up to `concurrency` blocks at
// once with an async (thread-pool) compressor, and emits the results in input order. Every block
// becomes a self-contained gzip member / lz4 frame / zstd frame, so the output is their
// concatenation, which every decoder of those formats accepts. Memory is bounded: at most
// `concurrency` blocks are in flight, and the write callback is held while they are.
import { availableParallelism } from 'node:os'
import { Transform } from 'node:stream'
import type { TransformCallback } from 'node:stream'

export type BlockCompressFunction = (block: Buffer) => Promise<Buffer>

export interface BlockCompressorOptions {
  /** Uncompressed bytes per block (member/frame). Default 1 MiB. */
  readonly blockSize?: number
  /**
   * Blocks compressed at the same time. Default: one more than the cores, at most 4 (libuv's
   * thread pool, which file reads share).
   */
  readonly concurrency?: number
  /** Emit one (empty) block even for empty input, so the output is a valid file. Default true. */
  readonly emitEmpty?: boolean
}

export const DEFAULT_BLOCK_SIZE: number = 1024 * 1024
export const DEFAULT_CONCURRENCY: number = Math.min(4, availableParallelism() + 1)

export class BlockCompressor extends Transform {
  readonly #compress: BlockCompressFunction
  readonly #blockSize: number
  readonly #concurrency: number
  readonly #emitEmpty: boolean
  #chunks: Buffer[] = []
  #buffered = 0
  #inFlight: Array<Promise<Buffer>> = []
  #emitted = 0

  constructor(compress: BlockCompressFunction, options: BlockCompressorOptions = {}) {
    super({ readableHighWaterMark: 64 * 1024 })
    this.#compress = compress
    this.#blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE
    this.#concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY)
    this.#emitEmpty = options.emitEmpty ?? true
  }

  #takeBlock(size: number): Buffer {
    const block = this.#chunks.length === 1 && (this.#chunks[0] as Buffer).length === size
      ? (this.#chunks[0] as Buffer)
      : Buffer.concat(this.#chunks, this.#buffered)
    const result = block.subarray(0, size)
    const rest = block.subarray(size)
    this.#chunks = rest.length > 0 ? [rest] : []
    this.#buffered = rest.length
    return result
  }

  #start(block: Buffer): void {
    const promise = this.#compress(block)
    // Rejections are observed when the promise is awaited in order; avoid an unhandled rejection
    // report while an earlier block is still being awaited.
    promise.catch(() => {})
    this.#inFlight.push(promise)
  }

  async #emitOldest(): Promise<void> {
    const oldest = this.#inFlight.shift()
    if (oldest) {
      this.push(await oldest)
      this.#emitted++
    }
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#chunks.push(chunk)
    this.#buffered += chunk.length
    this.#drainFull()
      .then(() => callback())
      .catch((error: unknown) => callback(error as Error))
  }

  async #drainFull(): Promise<void> {
    while (this.#buffered >= this.#blockSize) {
      this.#start(this.#takeBlock(this.#blockSize))
      while (this.#inFlight.length >= this.#concurrency) {
        await this.#emitOldest()
      }
    }
  }

  override _flush(callback: TransformCallback): void {
    const finish = async (): Promise<void> => {
      if (this.#buffered > 0 || (this.#emitEmpty && this.#emitted === 0 && this.#inFlight.length === 0)) {
        this.#start(this.#takeBlock(this.#buffered))
      }
      while (this.#inFlight.length > 0) {
        await this.#emitOldest()
      }
    }
    finish()
      .then(() => callback())
      .catch((error: unknown) => callback(error as Error))
  }
}
