// A FIFO of byte chunks that hands out exact-size slices without re-concatenating the whole
// buffer on every push (the BufferList of tar-stream's extract.js, typed).

export class ByteQueue {
  #chunks: Buffer[] = []
  #length = 0

  get length(): number {
    return this.#length
  }

  push(chunk: Buffer): void {
    if (chunk.length > 0) {
      this.#chunks.push(chunk)
      this.#length += chunk.length
    }
  }

  /** The first `size` bytes without consuming them, or undefined when fewer are queued. */
  peek(size: number): Buffer | undefined {
    if (size > this.#length) {
      return undefined
    }
    const first = this.#chunks[0]
    if (first && first.length >= size) {
      return first.subarray(0, size)
    }
    let count = 0
    let covered = 0
    while (covered < size) {
      covered += (this.#chunks[count] as Buffer).length
      count++
    }
    const joined = Buffer.concat(this.#chunks.slice(0, count), covered)
    this.#chunks.splice(0, count, joined)
    return joined.subarray(0, size)
  }

  /** Consumes exactly `size` bytes, or returns undefined (consuming nothing) when fewer are queued. */
  take(size: number): Buffer | undefined {
    const bytes = this.peek(size)
    if (bytes) {
      this.skip(size)
    }
    return bytes
  }

  /** Consumes up to `size` bytes as they are queued (no copy); returns the first chunk piece. */
  takeSome(size: number): Buffer | undefined {
    const first = this.#chunks[0]
    if (!first || size <= 0) {
      return undefined
    }
    const piece = first.length <= size ? first : first.subarray(0, size)
    this.skip(piece.length)
    return piece
  }

  /** Drops up to `size` bytes; returns how many were dropped. */
  skip(size: number): number {
    let left = Math.min(size, this.#length)
    const dropped = left
    while (left > 0) {
      const first = this.#chunks[0] as Buffer
      if (first.length <= left) {
        this.#chunks.shift()
        left -= first.length
      } else {
        this.#chunks[0] = first.subarray(left)
        left = 0
      }
    }
    this.#length -= dropped
    return dropped
  }
}
