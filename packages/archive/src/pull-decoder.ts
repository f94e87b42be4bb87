// The stream plumbing shared by the lz4 and zstd decoders: a Duplex that decodes input in small
// steps and stops as soon as the readable side is full, holding the write callback until the
// consumer reads (tar-stream's discipline). Output per step is bounded by the step, not by the
// compression ratio of a whole input chunk.
import { Duplex } from 'node:stream'
import { ByteQueue } from './byte-queue.js'

export abstract class PullDecoder extends Duplex {
  protected readonly input: ByteQueue = new ByteQueue()
  #held: ((error?: Error | null) => void) | undefined
  #flowing = true

  constructor() {
    super({ readableHighWaterMark: 64 * 1024, writableHighWaterMark: 64 * 1024 })
  }

  /** Hands decoded bytes on; decoding pauses when the consumer is behind. */
  protected output(chunk: Buffer): void {
    if (chunk.length > 0 && !this.push(chunk)) {
      this.#flowing = false
    }
  }

  protected get paused(): boolean {
    return !this.#flowing
  }

  /**
   * Decodes from `input` until it needs more bytes (return true) or `paused` turns true (return
   * false). Throws on invalid data.
   */
  protected abstract decode(): boolean

  /** Called once all input was written and decoded: throw if the stream is incomplete. */
  protected abstract finish(): void

  #run(): void {
    let needsInput: boolean
    try {
      needsInput = this.decode()
    } catch (error) {
      this.#release(error as Error)
      return
    }
    if (needsInput) {
      this.#release(null)
    }
  }

  #release(error: Error | null): void {
    const callback = this.#held
    this.#held = undefined
    if (callback) {
      callback(error)
    } else if (error) {
      this.destroy(error)
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.input.push(chunk)
    this.#held = callback
    this.#run()
  }

  override _read(): void {
    this.#flowing = true
    if (this.#held) {
      this.#run()
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    try {
      this.finish()
      this.push(null)
      callback()
    } catch (error) {
      callback(error as Error)
    }
  }
}
