// Streaming zstd decoding with fzstd (pure JS, keeps only the frame window), so a single-frame
// archive of any size (pg_basebackup's client- or server-side zstd) decodes in flat memory;
// concatenated frames (our parallel compressor's output) decode as one stream.
import { Transform } from 'node:stream'
import type { TransformCallback } from 'node:stream'
import { Decompress } from 'fzstd'
import { DecompressError } from './errors.js'

export class ZstdDecompressor extends Transform {
  readonly #decoder: Decompress
  #consumed = 0
  #sawInput = false

  constructor(readonly archive = 'zstd stream') {
    super()
    this.#decoder = new Decompress((chunk: Uint8Array) => {
      if (chunk.length > 0) {
        // fzstd may reuse its window buffer: copy before handing the bytes on.
        this.push(Buffer.from(chunk))
      }
    })
  }

  #wrap(error: unknown): DecompressError {
    return new DecompressError(
      `${this.archive}: invalid zstd data near compressed byte ${this.#consumed}: ${(error as Error).message}`,
      { cause: error }
    )
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#sawInput ||= chunk.length > 0
      this.#decoder.push(chunk)
      this.#consumed += chunk.length
      callback()
    } catch (error) {
      callback(this.#wrap(error))
    }
  }

  override _flush(callback: TransformCallback): void {
    if (!this.#sawInput) {
      callback(new DecompressError(`${this.archive}: empty zstd stream`))
      return
    }
    try {
      this.#decoder.push(new Uint8Array(0), true)
      callback()
    } catch (error) {
      callback(this.#wrap(error))
    }
  }
}
