// A Readable over the CopyData of one archive (or manifest). Bytes are pulled from the socket only
// inside _read, i.e. only while the consumer wants more: a slow consumer keeps the socket paused.
// The stream ends at the message the `classify` function says belongs to someone else (that message
// is put back for the caller); a lost connection or a server error destroys it with that error.
import { Readable } from 'node:stream'
import type { BackendMessage } from '../backend-message.js'
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

export class CopyReader extends Readable {
  readonly #pump: MessagePump
  readonly #classify: (message: BackendMessage) => CopyStep
  readonly #next: NextOptions
  #pulling = false
  #bytes = 0

  constructor(pump: MessagePump, classify: (message: BackendMessage) => CopyStep, next: NextOptions = {}) {
    super({ objectMode: true, highWaterMark: HIGH_WATER_MARK_CHUNKS })
    this.#pump = pump
    this.#classify = classify
    this.#next = next
  }

  /** Bytes pushed so far. */
  get bytesRead(): number {
    return this.#bytes
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
