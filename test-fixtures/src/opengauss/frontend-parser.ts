// An incremental parser of what a client sends: untyped startup-phase packets (StartupMessage,
// SSLRequest, CancelRequest), then typed messages. Pure and synchronous; keeps the partial tail.
import { CANCEL_REQUEST_CODE, GSSENC_REQUEST_CODE, SSL_REQUEST_CODE } from './constants.js'

export interface StartupPacket {
  readonly name: 'startup'
  readonly protocol: number
  readonly parameters: Readonly<Record<string, string>>
}
export interface SslRequest {
  readonly name: 'sslRequest'
}
export interface GssEncRequest {
  readonly name: 'gssEncRequest'
}
export interface CancelRequest {
  readonly name: 'cancelRequest'
  readonly processId: number
  readonly secretKey: number
}
/** A typed message: `code` is its character (`p`, `Q`, `d`, `c`, `X`, …) and `body` what follows the length. */
export interface TypedMessage {
  readonly name: 'typed'
  readonly code: string
  readonly body: Buffer
}
export type FrontendMessage = StartupPacket | SslRequest | GssEncRequest | CancelRequest | TypedMessage

const LENGTH_SIZE = 4
const TYPED_HEADER = 5
/** Refuse absurd frames instead of buffering them forever (the server's own limit is 1 GB). */
const MAX_FRAME = 64 * 1024 * 1024

export class FrontendParser {
  #buffer: Buffer = Buffer.alloc(0)
  #startupPhase = true

  /** After a StartupMessage the stream carries typed messages. */
  get inStartupPhase(): boolean {
    return this.#startupPhase
  }

  parse(chunk: Buffer): FrontendMessage[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk])
    const out: FrontendMessage[] = []
    for (;;) {
      const message = this.#startupPhase ? this.#nextStartup() : this.#nextTyped()
      if (!message) {
        return out
      }
      out.push(message)
    }
  }

  #nextStartup(): FrontendMessage | undefined {
    if (this.#buffer.length < LENGTH_SIZE) {
      return undefined
    }
    const length = this.#buffer.readUInt32BE(0)
    if (length < 8 || length > MAX_FRAME) {
      throw new Error(`invalid startup packet length ${length}`)
    }
    if (this.#buffer.length < length) {
      return undefined
    }
    const frame = this.#buffer.subarray(0, length)
    this.#buffer = this.#buffer.subarray(length)
    const code = frame.readUInt32BE(4)
    if (code === SSL_REQUEST_CODE) {
      return { name: 'sslRequest' }
    }
    if (code === GSSENC_REQUEST_CODE) {
      return { name: 'gssEncRequest' }
    }
    if (code === CANCEL_REQUEST_CODE) {
      return { name: 'cancelRequest', processId: frame.readUInt32BE(8), secretKey: frame.readUInt32BE(12) }
    }
    this.#startupPhase = false
    return { name: 'startup', protocol: code, parameters: parseStartupParameters(frame.subarray(8)) }
  }

  #nextTyped(): FrontendMessage | undefined {
    if (this.#buffer.length < TYPED_HEADER) {
      return undefined
    }
    const length = this.#buffer.readUInt32BE(1)
    if (length < LENGTH_SIZE || length > MAX_FRAME) {
      throw new Error(`invalid message length ${length}`)
    }
    if (this.#buffer.length < 1 + length) {
      return undefined
    }
    const code = String.fromCharCode(this.#buffer[0] ?? 0)
    const body = Buffer.from(this.#buffer.subarray(TYPED_HEADER, 1 + length))
    this.#buffer = this.#buffer.subarray(1 + length)
    return { name: 'typed', code, body }
  }
}

/** name\0value\0 … \0 */
function parseStartupParameters(bytes: Buffer): Record<string, string> {
  const parameters: Record<string, string> = {}
  const parts = bytes.toString('utf8').split('\0')
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const key = parts[i]
    if (!key) {
      break
    }
    parameters[key] = parts[i + 1] ?? ''
  }
  return parameters
}

/** The NUL-terminated string a PasswordMessage or Query body holds. */
export function bodyCString(body: Buffer): string {
  const end = body.indexOf(0)
  return body.subarray(0, end === -1 ? body.length : end).toString('utf8')
}
