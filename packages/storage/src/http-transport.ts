// One HTTP(S) request to a tidemark-agent with node's http/https: the bearer token, a socket idle
// deadline, a streamed body written with backpressure (flat memory), and an abort signal. A body
// that fails or is aborted destroys the request, so the agent sees an incomplete body and stores
// nothing; the request then rejects with the body's error (or the signal's reason).
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { bodyChunks } from './body.js'
import { StorageIntegrityError, StorageTimeoutError } from './errors.js'
import type { StorageBody } from './storage.js'

export interface HttpCall {
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST'
  /** Path and query under the base URL. */
  readonly path: string
  readonly headers?: OutgoingHttpHeaders
  readonly body?: StorageBody
  /** The body's exact size when known (sent as Content-Length and checked), else it is sent chunked. */
  readonly size?: number | undefined
  readonly signal?: AbortSignal | undefined
}

export interface HttpTransportOptions {
  readonly token: string
  readonly timeoutMs: number
  readonly ca?: string | Buffer | undefined
  readonly maxSockets: number
}

/** Errors of the caller's body or signal, which reach the caller as they are. */
const bodyErrors = new WeakSet<object>()

/** Whether the request failed because its body (or the caller's signal) did, not the agent or the network. */
export function isBodyError(error: unknown): boolean {
  return error !== null && typeof error === 'object' && bodyErrors.has(error)
}

export class HttpTransport {
  readonly #base: URL
  /** The base path without its trailing slashes ('' at the root). */
  readonly #basePath: string
  readonly #options: HttpTransportOptions
  readonly #agent: HttpAgent

  constructor(base: URL, options: HttpTransportOptions) {
    this.#base = base
    this.#basePath = base.pathname.replace(/\/+$/, '')
    this.#options = options
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, ...(options.ca !== undefined ? { ca: options.ca } : {}) }
    this.#agent = base.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions)
  }

  /** Sends the request (and its body); resolves with the response once its headers arrived. */
  request(call: HttpCall): Promise<IncomingMessage> {
    call.signal?.throwIfAborted()
    const url = new URL(`${this.#base.origin}${this.#basePath}${call.path}`)
    const send = this.#base.protocol === 'https:' ? httpsRequest : httpRequest
    return new Promise<IncomingMessage>((resolve, reject) => {
      const request = send(url, {
        method: call.method,
        agent: this.#agent,
        headers: {
          authorization: `Bearer ${this.#options.token}`,
          ...(call.size !== undefined ? { 'content-length': String(call.size) } : {}),
          ...call.headers,
        },
      })
      let responded = false
      const aborted = (): void => {
        request.destroy(call.signal?.reason as Error)
      }
      call.signal?.addEventListener('abort', aborted, { once: true })
      const done = (): void => call.signal?.removeEventListener('abort', aborted)
      let answer: IncomingMessage | undefined
      request.setTimeout(this.#options.timeoutMs, () => {
        const stalled = new StorageTimeoutError(`${call.method} ${url.pathname} at ${this.#base.origin}: no progress within ${this.#options.timeoutMs} ms`)
        // Mid-body, the reader of the answer gets the timeout too, not a bare connection reset.
        answer?.destroy(stalled)
        request.destroy(stalled)
      })
      request.on('error', (error) => {
        done()
        reject(error)
      })
      request.on('response', (response) => {
        responded = true
        answer = response
        response.on('close', done)
        // An answer before the whole body was sent (a refusal): the unsent rest is dropped with the socket.
        response.on('end', () => {
          if (!request.writableFinished) {
            request.destroy()
          }
        })
        resolve(response)
      })
      if (call.body === undefined) {
        request.end()
        return
      }
      writeBody(request, call, () => responded).catch((error: unknown) => {
        if (error !== null && typeof error === 'object') {
          bodyErrors.add(error)
        }
        request.destroy(error as Error)
      })
    })
  }

  /** Closes the kept sockets. */
  close(): void {
    this.#agent.destroy()
  }
}

/** Writes the body with backpressure; stops early once the agent answered (a refusal needs no more bytes). */
async function writeBody(request: ClientRequest, call: HttpCall, responded: () => boolean): Promise<void> {
  let written = 0
  for await (const chunk of bodyChunks(call.body as StorageBody)) {
    call.signal?.throwIfAborted()
    if (responded() || request.destroyed) {
      return
    }
    written += chunk.byteLength
    if (call.size !== undefined && written > call.size) {
      throw new StorageIntegrityError(`the body has more than the ${call.size} bytes announced; nothing was stored`)
    }
    if (chunk.byteLength > 0 && !request.write(chunk)) {
      await drained(request)
    }
  }
  call.signal?.throwIfAborted()
  if (call.size !== undefined && written !== call.size) {
    throw new StorageIntegrityError(`the body had ${written} bytes, ${call.size} were announced; nothing was stored`)
  }
  request.end()
}

function drained(request: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const finish = (): void => {
      request.off('drain', finish)
      request.off('close', finish)
      resolve()
    }
    request.on('drain', finish)
    request.on('close', finish)
  })
}

/** The response's bytes (an error document or a JSON answer), at most `limit` of them. */
export async function readResponse(response: IncomingMessage, limit: number = 4 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response) {
    size += (chunk as Buffer).length
    if (size > limit) {
      response.destroy()
      throw new StorageIntegrityError(`the answer is larger than ${limit} bytes`)
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}
