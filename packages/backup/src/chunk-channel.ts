/**
 * A one-slot hand-over from a producer to an async-iterating consumer: `push` resolves only once
 * the consumer has taken the chunk, so a slow consumer slows the producer (backpressure) and at
 * most one chunk waits in between.
 */
export class ChunkChannel implements AsyncIterable<Uint8Array> {
  #waitingChunk: { chunk: Uint8Array; taken: () => void } | undefined
  #waitingConsumer: ((result: IteratorResult<Uint8Array>) => void) | undefined
  #ended = false
  #error: Error | undefined

  push(chunk: Uint8Array): Promise<void> {
    if (this.#ended) {
      return Promise.reject(new Error('ChunkChannel: push after end'))
    }
    return new Promise((resolve) => {
      const consumer = this.#waitingConsumer
      if (consumer) {
        this.#waitingConsumer = undefined
        consumer({ value: chunk, done: false })
        resolve()
      } else {
        this.#waitingChunk = { chunk, taken: resolve }
      }
    })
  }

  end(error?: Error): void {
    this.#ended = true
    this.#error ??= error
    const consumer = this.#waitingConsumer
    if (consumer && !this.#waitingChunk) {
      this.#waitingConsumer = undefined
      consumer({ value: undefined, done: true })
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: (): Promise<IteratorResult<Uint8Array>> => {
        const waiting = this.#waitingChunk
        if (waiting) {
          this.#waitingChunk = undefined
          waiting.taken()
          return Promise.resolve({ value: waiting.chunk, done: false })
        }
        if (this.#ended) {
          return this.#error ? Promise.reject(this.#error) : Promise.resolve({ value: undefined, done: true })
        }
        return new Promise((resolve) => {
          this.#waitingConsumer = resolve
        })
      },
    }
  }
}
