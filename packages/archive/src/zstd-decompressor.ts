// Streaming zstd decoding with fzstd (pure JS, keeps only the frame window), so a single-frame
// archive of any size (pg_basebackup's client- or server-side zstd) decodes in flat memory;
// concatenated frames (our parallel compressor's output) decode as one stream. Input is fed in
// 256-byte steps so that even highly compressed data (zero pages) yields bounded output per step.
import { Decompress } from 'fzstd'
import { DecompressError } from './errors.js'
import { PullDecoder } from './pull-decoder.js'

const STEP = 256

export class ZstdDecompressor extends PullDecoder {
  readonly #decoder: Decompress
  #consumed = 0

  constructor(readonly archive = 'zstd stream') {
    super()
    // fzstd may reuse its window buffer: copy before handing the bytes on.
    this.#decoder = new Decompress((chunk: Uint8Array) => this.output(Buffer.from(chunk)))
  }

  #wrap(error: unknown): DecompressError {
    return new DecompressError(
      `${this.archive}: invalid zstd data near compressed byte ${this.#consumed}: ${(error as Error).message}`,
      { cause: error }
    )
  }

  protected override decode(): boolean {
    while (!this.paused) {
      const step = this.input.takeSome(STEP)
      if (!step) {
        return true
      }
      try {
        this.#decoder.push(step)
      } catch (error) {
        throw this.#wrap(error)
      }
      this.#consumed += step.length
    }
    return false
  }

  protected override finish(): void {
    if (this.#consumed === 0) {
      throw new DecompressError(`${this.archive}: empty zstd stream`)
    }
    try {
      this.#decoder.push(new Uint8Array(0), true)
    } catch (error) {
      throw this.#wrap(error)
    }
  }
}
