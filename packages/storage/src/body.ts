// Put bodies as one shape: an async iterable of byte chunks, read with backpressure (pull, never
// flowing mode), and a reader that cuts such a stream into parts of exact sizes.
import type { StorageBody } from './storage.js'

/** The body as chunks; a Uint8Array is one chunk. */
export function bodyChunks(body: StorageBody): AsyncIterable<Uint8Array> {
  if (body instanceof Uint8Array) {
    return (async function* one() {
      yield body
    })()
  }
  return body as AsyncIterable<Uint8Array>
}

/**
 * Pulls exact-size parts out of a chunk stream: `next(size)` resolves the next `size` bytes (fewer
 * only at the end; an empty buffer once the stream is done). Holds at most one part plus one chunk.
 */
export class PartReader {
  readonly #iterator: AsyncIterator<Uint8Array>
  #pending: Uint8Array | undefined
  #done = false
  #bytesRead = 0

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.#iterator = chunks[Symbol.asyncIterator]()
  }

  get bytesRead(): number {
    return this.#bytesRead
  }

  /**
   * The next part: one buffer of `size` bytes (less at the end, empty when done). `into`, when given
   * and of that size, is filled instead of a new buffer (parts recycled by the multipart upload).
   */
  async next(size: number, into?: Buffer): Promise<Buffer> {
    const part = into?.length === size ? into : Buffer.allocUnsafe(size)
    let filled = 0
    while (filled < size) {
      if (!this.#pending) {
        if (this.#done) {
          break
        }
        const step = await this.#iterator.next()
        if (step.done) {
          this.#done = true
          break
        }
        this.#pending = step.value
      }
      const take = Math.min(size - filled, this.#pending.length)
      part.set(this.#pending.subarray(0, take), filled)
      filled += take
      this.#pending = take === this.#pending.length ? undefined : this.#pending.subarray(take)
    }
    this.#bytesRead += filled
    return filled === size ? part : part.subarray(0, filled)
  }

  /** True once the stream is exhausted and nothing is pending. */
  async atEnd(): Promise<boolean> {
    if (this.#pending && this.#pending.length > 0) {
      return false
    }
    if (this.#done) {
      return true
    }
    const step = await this.#iterator.next()
    if (step.done) {
      this.#done = true
      return true
    }
    this.#pending = step.value
    return step.value.length === 0 ? this.atEnd() : false
  }

  /** Stops the source stream early (destroys a Readable). */
  async close(): Promise<void> {
    this.#done = true
    this.#pending = undefined
    await this.#iterator.return?.()
  }
}
