// A plain socket's reads land in one reused buffer (net's `onread`), not in a fresh 64 kB buffer per
// read: a backup of gigabytes then allocates nothing per read, so there is no garbage to collect and
// no new page to fault in for every chunk. Whoever handles the reads must consume or copy the bytes
// before returning, because the next read overwrites them.

/** Bytes read from the socket at once. Large reads mean few callbacks for a backup's bulk data. */
export const SOCKET_READ_BUFFER_BYTES: number = 256 * 1024

/** Receives each read; the view is valid only during the call. Return false to pause the socket. */
export type ReadHandler = (bytes: Buffer) => boolean

export class SocketReads {
  readonly buffer: Buffer = Buffer.allocUnsafe(SOCKET_READ_BUFFER_BYTES)
  #handler: ReadHandler | undefined
  #early: Buffer[] = []

  /** The `onread` option of net.connect. */
  get onread(): { buffer: Buffer; callback: (length: number, buffer: Buffer) => boolean } {
    return { buffer: this.buffer, callback: this.#onRead }
  }

  /**
   * Routes later reads to `handler`. Bytes that arrived while no handler was set are handed over
   * first (copies, so they may be kept).
   */
  setHandler(handler: ReadHandler | undefined): void {
    this.#handler = handler
    if (handler) {
      const early = this.#early
      this.#early = []
      for (const bytes of early) {
        handler(bytes)
      }
    }
  }

  readonly #onRead = (length: number, buffer: Buffer): boolean => {
    const bytes = buffer.subarray(0, length)
    if (this.#handler) {
      return this.#handler(bytes)
    }
    this.#early.push(Buffer.from(bytes))
    return true
  }
}
