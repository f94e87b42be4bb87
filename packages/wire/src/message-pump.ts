// Pulls backend messages off a socket on demand. A plain socket reads into one reused buffer
// (socket-reads.ts): the pump keeps copies of what it reads ahead, or — readCopyDirect — hands an
// archive's CopyData to a synchronous consumer straight from that buffer. The read-ahead is bounded:
// the socket is paused when it is full, so a slow consumer leaves data in the kernel and TCP flow
// control stops the server. Notices and ParameterStatus are handled here, wherever they arrive. A
// socket that ends or fails while a message is awaited becomes ConnectionLostError.
import type { Duplex } from 'node:stream'
import { BackendDecoder, type BackendMessage } from './backend-message.js'
import { DirectCopyParser, type DirectCopyHandler, type OtherMessageOutcome } from './copy-direct.js'
import { ConnectionLostError, type ServerMessageFields } from './errors.js'
import { FrameReader } from './frame-reader.js'
import type { SocketReads } from './socket-reads.js'

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
  readonly #reads: SocketReads | undefined
  readonly #noticeTaps = new Set<(fields: ServerMessageFields) => void>()

  /** `reads`: the socket reads into a reused buffer (socket-reads.ts); copies are kept here. */
  constructor(socket: Duplex, handlers: PumpHandlers, reads?: SocketReads) {
    this.#socket = socket
    this.#handlers = handlers
    this.#reads = reads
    if (reads) {
      reads.setHandler(this.#onRead)
    } else {
      socket.on('data', this.#onData)
    }
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

  readonly #onRead = (bytes: Buffer): boolean => {
    this.#onData(Buffer.from(bytes))
    return true
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
        if (message.name === 'notice' || message.name === 'parameterStatus') {
          this.#report(message)
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

  /**
   * Reads archive CopyData straight from the socket's reused buffer into `handler` (copy-direct.ts)
   * until `handler.other` stops at a message, which is put back for next(). Messages already queued
   * or read ahead are handed over first, in order. Without socket reads (TLS), messages are read
   * with next() and handed over the same way.
   */
  async readCopyDirect(handler: DirectCopyHandler, dataPrefix: number | undefined, options: NextOptions = {}): Promise<void> {
    const other = (message: BackendMessage): OtherMessageOutcome => {
      if (message.name === 'notice' || message.name === 'parameterStatus') {
        this.#report(message)
        return 'continue'
      }
      return handler.other(message)
    }
    const isData = (message: BackendMessage): message is Extract<BackendMessage, { name: 'copyData' }> =>
      message.name === 'copyData' && (dataPrefix === undefined || (message.data.length > 0 && message.data[0] === dataPrefix))
    const dataOf = (data: Buffer): Buffer => (dataPrefix === undefined ? data : data.subarray(1))
    /** Hands one decoded message over; false once the handler stopped (putting it back if it asked). */
    const deliver = (message: BackendMessage): boolean => {
      if (isData(message)) {
        handler.data(dataOf(message.data))
        return true
      }
      const outcome = other(message)
      if (outcome === 'stop-before') {
        this.unshift(message)
      }
      return outcome === 'continue'
    }
    // Messages decoded before: handed over as they are.
    for (let message = this.#shift(); message !== undefined; message = this.#shift()) {
      if (!deliver(message)) {
        handler.flush()
        return
      }
    }
    handler.flush()
    if (!this.#reads) {
      for (;;) {
        const going = deliver(await this.next(options))
        handler.flush()
        if (!going) {
          return
        }
      }
    }
    const parser = new DirectCopyParser(
      { data: (bytes) => handler.data(bytes), flush: () => handler.flush(), other },
      (frame) => this.#decoder.decode(frame),
      dataPrefix
    )
    await this.#parseReads(this.#reads, parser, options)
  }

  /** Feeds what was read ahead, then every socket read, to parser until it stops (see readCopyDirect). */
  async #parseReads(reads: SocketReads, parser: DirectCopyParser, options: NextOptions): Promise<void> {
    // Bytes read ahead (a partial frame, then whole chunks) go first, in order.
    const early = [this.#frames.takePending(), ...this.#chunks].filter((chunk): chunk is Buffer => chunk !== undefined)
    this.#chunks = []
    this.#readAhead = 0
    for (const [index, chunk] of early.entries()) {
      const rest = parser.push(chunk)
      if (rest !== undefined) {
        this.#chunks = [Buffer.from(rest), ...early.slice(index + 1)]
        this.#readAhead = this.#chunks.reduce((sum, piece) => sum + piece.length, 0)
        return
      }
    }
    await new Promise<void>((resolve, reject) => {
      let done = false
      const finish = (error?: Error): void => {
        if (done) {
          return
        }
        done = true
        this.#stall?.disarm()
        this.#wake = undefined
        reads.setHandler(this.#onRead)
        if (error) {
          this.#failure ??= error
          reject(error)
        } else {
          resolve()
        }
      }
      const stalled = (): void => {
        const error = options.onTimeout?.()
        if (error) {
          finish(error)
        }
      }
      const arm = (): void => {
        if (options.timeoutMs !== undefined && options.onTimeout) {
          this.#stall ??= new StallTimer()
          this.#stall.arm(options.timeoutMs, stalled)
        }
      }
      // The socket's end, close or error while reading directly.
      const onNotify = (): void => {
        if (this.#failure) {
          finish(this.#failure)
        } else if (this.#ended) {
          finish(new ConnectionLostError('the server closed the connection unexpectedly'))
        } else {
          this.#wake = onNotify
        }
      }
      if (this.#failure || this.#ended) {
        onNotify()
        return
      }
      this.#wake = onNotify
      arm()
      reads.setHandler((bytes) => {
        let rest: Buffer | undefined
        try {
          rest = parser.push(bytes)
        } catch (error) {
          finish(error as Error)
          return false
        }
        if (rest !== undefined) {
          this.#chunks.push(Buffer.from(rest))
          this.#readAhead += rest.length
          finish()
          return true
        }
        arm()
        return true
      })
      if (this.#paused) {
        this.#paused = false
        this.#socket.resume()
      }
    })
  }

  /** A notice or parameter report: to the taps and handlers. */
  #report(message: BackendMessage): void {
    if (message.name === 'notice') {
      for (const tap of this.#noticeTaps) {
        tap(message.fields)
      }
      this.#handlers.onNotice(message.fields)
    } else if (message.name === 'parameterStatus') {
      this.#handlers.onParameter(message.parameter, message.value)
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

