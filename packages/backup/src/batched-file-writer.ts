// A new file written in large batches, several writes in flight (each at its own offset) while the
// next batch fills. fs's WriteStream starts a write on the thread pool for nearly every 32 kB chunk
// of a backup (the previous write is done by the time the next chunk comes): thousands of pool
// round trips and main-thread wake-ups a second, the largest cost of a tar backup in the profile.
import { open, type FileHandle } from 'node:fs/promises'
import { Writable } from 'node:stream'
import { writevFully } from '@tidemark/archive'

/** Bytes gathered before a write. */
export const WRITE_BATCH_BYTES: number = 1024 * 1024
/**
 * Batches being written at once. With one, the network waits whenever a write does: the producer's
 * callback is held, the socket's read-ahead fills and the server stops sending.
 */
export const WRITES_IN_FLIGHT: number = 2

export interface BatchedFileWriterOptions {
  /** open(2) flags: 'wx' (the default) never replaces an existing file. */
  readonly flags?: string
  readonly mode?: number
  readonly batchBytes?: number
}

export class BatchedFileWriter extends Writable {
  readonly path: string
  /** Bytes on disk so far (written, not only accepted). */
  bytesWritten = 0
  readonly #flags: string
  readonly #mode: number
  readonly #batchBytes: number
  #handle: FileHandle | undefined
  #batch: Buffer[] = []
  #batchLength = 0
  readonly #inFlight = new Set<Promise<void>>()
  #nextOffset = 0
  #failure: Error | undefined

  constructor(path: string, options: BatchedFileWriterOptions = {}) {
    const batchBytes = options.batchBytes ?? WRITE_BATCH_BYTES
    super({ highWaterMark: batchBytes })
    this.path = path
    this.#flags = options.flags ?? 'wx'
    this.#mode = options.mode ?? 0o600
    this.#batchBytes = batchBytes
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.path, this.#flags, this.#mode).then(
      (handle) => {
        this.#handle = handle
        callback()
      },
      (error: Error) => callback(error)
    )
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#add([chunk], callback)
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.#add(
      chunks.map((entry) => entry.chunk),
      callback
    )
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.#batchLength > 0) {
      this.#startWrite(this.#takeBatch())
    }
    this.#settle(0)
      .then(() => callback(), (error: Error) => callback(error))
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const handle = this.#handle
    this.#handle = undefined
    Promise.allSettled(this.#inFlight)
      .then(() => handle?.close())
      .then(
        () => callback(error),
        (closeError: Error) => callback(error ?? closeError)
      )
  }

  #add(chunks: Buffer[], callback: (error?: Error | null) => void): void {
    for (const chunk of chunks) {
      this.#batch.push(chunk)
      this.#batchLength += chunk.length
    }
    if (this.#batchLength < this.#batchBytes) {
      callback(this.#failure)
      return
    }
    // The batch is full: its write starts at once (at its own offset), and the producer goes on
    // filling the next batch unless WRITES_IN_FLIGHT writes are already running.
    try {
      this.#startWrite(this.#takeBatch())
    } catch (error) {
      callback(error as Error)
      return
    }
    this.#settle(WRITES_IN_FLIGHT - 1).then(
      () => callback(),
      (error: Error) => callback(error)
    )
  }

  #startWrite(batch: Buffer[]): void {
    const file = this.#file()
    const offset = this.#nextOffset
    for (const buffer of batch) {
      this.#nextOffset += buffer.length
    }
    const write: Promise<void> = writevFully(file, batch, offset).then(
      (written) => {
        this.bytesWritten += written
      },
      (error: Error) => {
        this.#failure ??= error
      }
    )
    this.#inFlight.add(write)
    void write.finally(() => this.#inFlight.delete(write))
  }

  /** Waits until at most `room` writes are in flight; rejects with the first write failure. */
  async #settle(room: number): Promise<void> {
    while (this.#inFlight.size > room) {
      await Promise.race(this.#inFlight)
    }
    if (this.#failure) {
      throw this.#failure
    }
  }

  #takeBatch(): Buffer[] {
    const batch = this.#batch
    this.#batch = []
    this.#batchLength = 0
    return batch
  }

  #file(): FileHandle {
    if (!this.#handle) {
      throw new Error(`${this.path} is closed`)
    }
    return this.#handle
  }
}
