// A Readable over the CopyData of one archive (or manifest). Bytes are pulled from the socket only
// inside _read, i.e. only while the consumer wants more: a slow consumer keeps the socket paused.
// The stream ends at the message the `classify` function says belongs to someone else (that message
// is put back for the caller); a lost connection or a server error destroys it with that error.
import { Readable } from 'node:stream'
import type { BackendMessage } from '../backend-message.js'
import type { OtherMessageOutcome } from '../copy-direct.js'
import { ConnectionStateError, ServerError } from '../errors.js'
import type { MessagePump, NextOptions } from '../message-pump.js'

/** What one message means to the stream: bytes to push, the end (put the message back or not), or nothing. */
export type CopyStep =
  | { readonly kind: 'data'; readonly data: Buffer }
  | { readonly kind: 'end'; readonly putBack: boolean }
  | { readonly kind: 'skip' }

/**
 * Chunks (CopyData payloads of about 32 kB) read ahead. Object mode hands each payload on as it is:
 * a byte-mode read() (what async iteration calls) concatenates everything buffered, a copy of the
 * whole backup.
 */
const HIGH_WATER_MARK_CHUNKS = 8

/**
 * Takes an archive's bytes synchronously as they are read (see readInto). Each piece is a view that
 * is valid only during the call: write it or copy it.
 */
export interface ArchiveSink {
  write(bytes: Buffer): void
  /** The pieces given since the last flush are all there is for now: write what was gathered. */
  flush(): void
}

export interface CopyReaderOptions {
  /** A CopyData is archive data when the classifier says so; with a prefix byte, exactly when its payload starts with it. */
  readonly dataPrefix?: number
  /** Called with the bytes read so far after each piece. */
  readonly onData?: (bytesRead: number) => void
}

export class CopyReader extends Readable {
  readonly #pump: MessagePump
  readonly #classify: (message: BackendMessage) => CopyStep
  readonly #next: NextOptions
  readonly #options: CopyReaderOptions
  #pulling = false
  #bytes = 0
  #readingInto = false

  constructor(pump: MessagePump, classify: (message: BackendMessage) => CopyStep, next: NextOptions = {}, options: CopyReaderOptions = {}) {
    super({ objectMode: true, highWaterMark: HIGH_WATER_MARK_CHUNKS })
    this.#pump = pump
    this.#classify = classify
    this.#next = next
    this.#options = options
  }

  /** Bytes pushed so far. */
  get bytesRead(): number {
    return this.#bytes
  }

  /**
   * Reads the whole archive into `sink` instead of as a stream: on a plain socket straight from the
   * socket's read buffer, without a stream, a copy or an allocation per piece (the fast path of an
   * uncompressed backup). The socket is read only as fast as the sink writes, since it writes
   * synchronously. Use either this or the stream, not both.
   */
  async readInto(sink: ArchiveSink): Promise<void> {
    if (this.#readingInto || this.#pulling || this.readableFlowing !== null || this.readableEnded || this.destroyed) {
      throw new ConnectionStateError('an archive is read either as a stream or into a sink, once')
    }
    this.#readingInto = true
    const onData = this.#options.onData
    const write = (bytes: Buffer): void => {
      this.#bytes += bytes.length
      sink.write(bytes)
      onData?.(this.#bytes)
    }
    const other = (message: BackendMessage): OtherMessageOutcome => {
      if (message.name === 'error') {
        throw new ServerError(message.fields)
      }
      const step = this.#classify(message)
      switch (step.kind) {
        case 'skip':
          return 'continue'
        case 'data':
          write(step.data)
          return 'continue'
        case 'end':
          return step.putBack ? 'stop-before' : 'stop-after'
      }
    }
    try {
      await this.#pump.readCopyDirect({ data: write, flush: () => sink.flush(), other }, this.#options.dataPrefix, this.#next)
    } catch (error) {
      // The caller gets the error; the stream only records it (for `consumed`), with no one listening.
      this.on('error', () => undefined)
      this.destroy(error as Error)
      throw error
    }
    // The stream is done too: it ends at once, so `consumed` sees the archive read.
    this.push(null)
    this.resume()
  }

  override _read(): void {
    if (this.#pulling) {
      return
    }
    this.#pulling = true
    this.#pull().catch((error: unknown) => {
      this.#pulling = false
      this.destroy(error as Error)
    })
  }

  async #pull(): Promise<void> {
    for (;;) {
      const message = await this.#pump.next(this.#next)
      if (message.name === 'error') {
        throw new ServerError(message.fields)
      }
      const step = this.#classify(message)
      if (step.kind === 'skip') {
        continue
      }
      if (step.kind === 'end') {
        if (step.putBack) {
          this.#pump.unshift(message)
        }
        this.#pulling = false
        this.push(null)
        return
      }
      this.#bytes += step.data.length
      this.#options.onData?.(this.#bytes)
      // One chunk per _read: Readable calls _read again (possibly from inside push) while its buffer
      // is below the high-water mark, so the guard is lifted before pushing.
      this.#pulling = false
      this.push(step.data)
      return
    }
  }
}

/** Waits until the consumer has read `stream` to its end; fails when it was dropped or broke. */
export async function consumed(stream: Readable): Promise<void> {
  if (stream.readableEnded) {
    return
  }
  if (stream.destroyed) {
    throw stream.errored ?? new ConnectionStateError('an archive stream was destroyed before its end; the backup is incomplete')
  }
  if (stream.readableFlowing === null && stream.listenerCount('readable') === 0 && stream.listenerCount('data') === 0) {
    throw new ConnectionStateError('the next backup event was requested before the archive stream was read; read or pipe each stream first')
  }
  await new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      stream.off('end', onEnd)
      stream.off('close', onClose)
      stream.off('error', onError)
    }
    const onEnd = (): void => {
      cleanup()
      resolve()
    }
    const onClose = (): void => {
      cleanup()
      if (stream.readableEnded) {
        resolve()
      } else {
        reject(stream.errored ?? new ConnectionStateError('an archive stream was closed before its end; the backup is incomplete'))
      }
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(error)
    }
    stream.once('end', onEnd)
    stream.once('close', onClose)
    stream.once('error', onError)
  })
}
