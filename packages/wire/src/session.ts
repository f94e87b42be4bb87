// The live state behind a Connection, shared with the command modules (never exported from the
// package): the pump, the writer, and the one-command-at-a-time guard.
import type { Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { ConnectionStateError } from './errors.js'
import { frontend } from './frontend-message.js'
import type { MessagePump } from './message-pump.js'
import type { ServerInfo } from './server-info.js'

export class Session {
  readonly pump: MessagePump
  readonly server: ServerInfo
  readonly #socket: Socket | TLSSocket
  #busy = false
  #closed = false

  constructor(socket: Socket | TLSSocket, pump: MessagePump, server: ServerInfo) {
    this.#socket = socket
    this.pump = pump
    this.server = server
  }

  get closed(): boolean {
    return this.#closed || this.#socket.destroyed
  }

  /** Queues bytes for the server; returns false when the socket's write buffer is full. */
  write(data: Buffer): boolean {
    if (this.closed) {
      throw new ConnectionStateError('the connection is closed')
    }
    return this.#socket.write(data)
  }

  /** Takes the connection for one command; throws if another command is running. */
  acquire(what: string): () => void {
    if (this.closed) {
      throw new ConnectionStateError(`cannot run ${what}: the connection is closed`)
    }
    if (this.#busy) {
      throw new ConnectionStateError(`cannot run ${what}: another command is still running on this connection`)
    }
    this.#busy = true
    return () => {
      this.#busy = false
    }
  }

  /** Tears the connection down at once (after a failure mid-stream the protocol state is unknown). */
  destroy(error?: Error): void {
    this.#closed = true
    if (error) {
      this.pump.fail(error)
    }
    this.#socket.destroy()
  }

  /** Sends Terminate and closes the socket. */
  async close(): Promise<void> {
    if (this.closed) {
      return
    }
    this.#closed = true
    await new Promise<void>((resolve) => {
      this.#socket.once('close', () => resolve())
      this.#socket.end(frontend.terminate())
      setTimeout(() => {
        this.#socket.destroy()
      }, 2000).unref()
    })
  }
}
