// Pulls backend messages off a socket on demand. The socket flows into a bounded read-ahead of whole
// chunks (no concatenating socket.read(), which copied every byte of a backup) and is paused when the
// read-ahead is full, so a slow consumer leaves data in the kernel and TCP flow control stops the server. Notices and ParameterStatus are handled here, wherever they
// arrive. A socket that ends or fails while a message is awaited becomes ConnectionLostError.
import type { Duplex } from 'node:stream'
import { BackendDecoder, type BackendMessage } from './backend-message.js'
import { ConnectionLostError, type ServerMessageFields } from './errors.js'
import { FrameReader } from './frame-reader.js'

export interface PumpHandlers {
  onNotice(fields: ServerMessageFields): void
  onParameter(name: string, value: string): void
}

export interface NextOptions {
  /** Fail with the error `onTimeout` makes when no byte arrives for this long. */
  readonly timeoutMs?: number
  readonly onTimeout?: () => Error
}

/** A reusable timeout: arm() (re)starts it with a callback, disarm() makes a pending expiry a no-op. */
class StallTimer {
  #timer: NodeJS.Timeout | undefined
  #ms = 0
  #onExpire: (() => void) | undefined

  arm(ms: number, onExpire: () => void): void {
    this.#onExpire = onExpire
    if (this.#timer && this.#ms === ms) {
      this.#timer.refresh()
      return
    }
    clearTimeout(this.#timer)
    this.#ms = ms
    this.#timer = setTimeout(() => {
      const expire = this.#onExpire
      this.#onExpire = undefined
      expire?.()
    }, ms)
    // The socket keeps the process alive while it is waited on; the timer must not keep it after.
    this.#timer.unref()
  }

  disarm(): void {
    this.#onExpire = undefined
  }
}

/** Bytes received but not yet parsed before the socket is paused. */
export const READ_AHEAD_BYTES: number = 1024 * 1024

export class MessagePump {
  readonly #socket: Duplex
  readonly #handlers: PumpHandlers
  readonly #frames = new FrameReader()
  readonly #decoder = new BackendDecoder()
  #queue: BackendMessage[] = []
  #head = 0
  #ended = false
  #failure: Error | undefined
  #wake: (() => void) | undefined
  #stall: StallTimer | undefined
  #chunks: Buffer[] = []
  #readAhead = 0
  #paused = false
  readonly #noticeTaps = new Set<(fields: ServerMessageFields) => void>()

  constructor(socket: Duplex, handlers: PumpHandlers) {
    this.#socket = socket
    this.#handlers = handlers
    socket.on('data', this.#onData)
    socket.on('end', () => {
      this.#ended = true
      this.#notify()
    })
    socket.on('close', () => {
      this.#ended = true
      this.#notify()
    })
    socket.on('error', (error: Error) => {
      this.#failure ??= new ConnectionLostError(`the connection to the server failed: ${error.message}`, { cause: error })
      this.#notify()
    })
  }

  readonly #onData = (chunk: Buffer): void => {
    this.#chunks.push(chunk)
    this.#readAhead += chunk.length
    if (this.#readAhead >= READ_AHEAD_BYTES && !this.#paused) {
      this.#paused = true
      this.#socket.pause()
    }
    this.#notify()
  }

  /** The oldest received chunk, resuming the socket once the read-ahead has room again. */
  #takeChunk(): Buffer | undefined {
    // At most READ_AHEAD_BYTES / 64 kB chunks wait here, so shift() stays cheap.
    const chunk = this.#chunks.shift()
    if (chunk === undefined) {
      return undefined
    }
    this.#readAhead -= chunk.length
    if (this.#paused && this.#readAhead < READ_AHEAD_BYTES) {
      this.#paused = false
      this.#socket.resume()
    }
    return chunk
  }

  readonly #notify = (): void => {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }

  /** Also shows notices to `tap` until the returned function is called. */
  tapNotices(tap: (fields: ServerMessageFields) => void): () => void {
    this.#noticeTaps.add(tap)
    return () => {
      this.#noticeTaps.delete(tap)
    }
  }

  /** Marks the pump failed (e.g. stalled); every later `next` throws this error. */
  fail(error: Error): void {
    this.#failure ??= error
    this.#notify()
  }

  /** Puts a message back so that the next `next()` returns it. */
  unshift(message: BackendMessage): void {
    if (this.#head > 0) {
      this.#head -= 1
      this.#queue[this.#head] = message
    } else {
      this.#queue.unshift(message)
    }
  }

  /** The next message that is not a notice or a parameter report. */
  async next(options: NextOptions = {}): Promise<BackendMessage> {
    for (;;) {
      const message = this.#shift()
      if (message !== undefined) {
        if (message.name === 'notice') {
          for (const tap of this.#noticeTaps) {
            tap(message.fields)
          }
          this.#handlers.onNotice(message.fields)
          continue
        }
        if (message.name === 'parameterStatus') {
          this.#handlers.onParameter(message.parameter, message.value)
          continue
        }
        return message
      }
      if (this.#failure) {
        throw this.#failure
      }
      const chunk = this.#takeChunk()
      if (chunk !== undefined) {
        this.#enqueue(chunk)
        continue
      }
      if (this.#ended) {
        throw new ConnectionLostError('the server closed the connection unexpectedly')
      }
      await this.#waitForBytes(options)
    }
  }

  #shift(): BackendMessage | undefined {
    if (this.#head >= this.#queue.length) {
      if (this.#queue.length > 0) {
        this.#queue = []
        this.#head = 0
      }
      return undefined
    }
    const message = this.#queue[this.#head]
    this.#head += 1
    return message
  }

  #enqueue(chunk: Buffer): void {
    try {
      for (const frame of this.#frames.push(chunk)) {
        this.#queue.push(this.#decoder.decode(frame))
      }
    } catch (error) {
      this.#failure = error as Error
      throw error
    }
  }

  #waitForBytes(options: NextOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      if (options.timeoutMs === undefined || !options.onTimeout) {
        this.#wake = resolve
        return
      }
      const onTimeout = options.onTimeout
      const expire = (): void => {
        this.#wake = undefined
        const error = onTimeout()
        this.#failure ??= error
        reject(error)
      }
      this.#wake = () => {
        this.#stall?.disarm()
        resolve()
      }
      // One timer per pump, re-armed for each wait: a backup waits for bytes thousands of times.
      this.#stall ??= new StallTimer()
      this.#stall.arm(options.timeoutMs, expire)
    })
  }

}

