// A bare client for the simulator's tests: node:net plus pg-protocol's parser and serializer for
// everything PostgreSQL-shaped; openGauss's own auth payloads are decoded by hand.
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { serialize } from 'pg-protocol'
import type { BackendMessage } from 'pg-protocol/dist/messages.js'
import { Parser } from 'pg-protocol/dist/parser.js'

/** One backend message: its type character, its body, and pg-protocol's reading of it. */
export interface Frame {
  readonly code: string
  readonly body: Buffer
  readonly parsed: BackendMessage | undefined
}

export class RawClient {
  readonly #socket: Socket
  #buffer: Buffer = Buffer.alloc(0)
  readonly #frames: Frame[] = []
  #waiter: (() => void) | undefined
  #ended = false
  #error: Error | undefined

  private constructor(socket: Socket) {
    this.#socket = socket
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('end', () => this.#finish())
    socket.on('close', () => this.#finish())
    socket.on('error', (error) => {
      this.#error = error
      this.#finish()
    })
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    const socket = connect({ port, host })
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    return new RawClient(socket)
  }

  get ended(): boolean {
    return this.#ended && this.#frames.length === 0
  }

  #finish(): void {
    this.#ended = true
    this.#wake()
  }

  #wake(): void {
    const waiter = this.#waiter
    this.#waiter = undefined
    waiter?.()
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk])
    while (this.#buffer.length >= 5) {
      const length = this.#buffer.readUInt32BE(1)
      if (this.#buffer.length < 1 + length) {
        break
      }
      const raw = this.#buffer.subarray(0, 1 + length)
      this.#buffer = this.#buffer.subarray(1 + length)
      const code = String.fromCharCode(raw[0] ?? 0)
      let parsed: BackendMessage | undefined
      if (code !== 'R') {
        new Parser().parse(raw, (message) => {
          parsed = message
        })
      }
      this.#frames.push({ code, body: Buffer.from(raw.subarray(5)), parsed })
    }
    this.#wake()
  }

  /** Bytes received after the last complete message (a message cut short). */
  get partialBytes(): number {
    return this.#buffer.length
  }

  write(data: Buffer): void {
    this.#socket.write(data)
  }

  startup(parameters: Record<string, string>, protocol: number): void {
    const pairs = Object.entries(parameters).flatMap(([k, v]) => [k, v])
    const body = Buffer.from(`${pairs.join('\0')}\0\0`, 'utf8')
    const packet = Buffer.alloc(8 + body.length)
    packet.writeUInt32BE(packet.length, 0)
    packet.writeUInt32BE(protocol, 4)
    body.copy(packet, 8)
    this.write(packet)
  }

  password(text: string): void {
    this.write(serialize.password(text))
  }

  query(text: string): void {
    this.write(serialize.query(text))
  }

  copyData(payload: Buffer): void {
    this.write(serialize.copyData(payload))
  }

  /** The next message; rejects when none arrives within `timeoutMs` or the connection ends. */
  async next(timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const frame = this.#frames.shift()
      if (frame) {
        return frame
      }
      if (this.#ended) {
        throw new Error(`connection ended${this.#error ? `: ${this.#error.message}` : ''}`)
      }
      const left = deadline - Date.now()
      if (left <= 0) {
        throw new Error('timed out waiting for a message')
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#waiter = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  }

  /** Messages up to and including the next one whose code is `code`. */
  async until(code: string, timeoutMs = 5000): Promise<Frame[]> {
    const out: Frame[] = []
    for (;;) {
      const frame = await this.next(timeoutMs)
      out.push(frame)
      if (frame.code === code) {
        return out
      }
    }
  }

  /** Resolves once the server has closed the connection (within `timeoutMs`). */
  async closedByServer(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (!this.#ended && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now())
        this.#waiter = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
    return this.#ended
  }

  /** Stops reading from the socket (a slow consumer); `resume` reads again. */
  pause(): void {
    this.#socket.pause()
  }

  resume(): void {
    this.#socket.resume()
  }

  close(): void {
    this.#socket.destroy()
  }
}
