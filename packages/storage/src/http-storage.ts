// The storage of a tidemark-agent over HTTP(S) (`--repo http(s)://host:port`): the agent's own
// repository (a directory or s3://) through its object routes (docs/agent.md). Every request has
// a socket deadline; requests that can be repeated (all but a streamed put) are retried with
// backoff and jitter, then fail with a storage error. A put streams its body (flat memory); when
// the body fails or is aborted the request is cut off and the agent's driver removes what it began.
import type { IncomingMessage } from 'node:http'
import { PassThrough, type Readable } from 'node:stream'
import type { HttpStorageOptions } from './http-config.js'
import { asStorageError, httpAnswerError, isRetryableHttpError } from './http-errors.js'
import {
  DELETE_OBJECTS_PATH,
  LAST_MODIFIED_HEADER,
  listQuery,
  MAX_OBJECTS_PAGE,
  OBJECT_SIZE_HEADER,
  objectPath,
  parseObjectsPage,
  rangeHeader,
} from './http-protocol.js'
import { agentBaseUrl } from './http-config.js'
import { HttpTransport, isBodyError, readResponse, type HttpCall } from './http-transport.js'
import { StorageIntegrityError, StorageUsageError } from './errors.js'
import { checkKey, checkPrefix } from './object-key.js'
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry.js'
import type { GetOptions, ListOptions, ObjectInfo, PutOptions, PutResult, Storage, StorageBody } from './storage.js'

const DEFAULT_TIMEOUT_MS = 30_000

export class HttpStorage implements Storage {
  readonly url: string
  readonly #transport: HttpTransport
  readonly #retry: RetryPolicy

  constructor(location: string, options: HttpStorageOptions) {
    const base = agentBaseUrl(location)
    if (!options.token) {
      throw new StorageUsageError(`repository ${base.origin}: no token (give --token-file or set TIDEMARK_TOKEN)`)
    }
    this.url = `${base.origin}${base.pathname.replace(/\/+$/, '')}`
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY
    this.#transport = new HttpTransport(base, {
      token: options.token,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ca: options.ca,
      maxSockets: options.maxSockets ?? 16,
    })
  }

  async put(key: string, body: StorageBody, options: PutOptions = {}): Promise<PutResult> {
    checkKey(key)
    const buffered = body instanceof Uint8Array
    const size = buffered ? body.byteLength : options.size
    if (buffered && options.size !== undefined && options.size !== size) {
      throw new StorageIntegrityError(`${key}: the body has ${size} bytes, ${options.size} were announced; nothing was stored`)
    }
    const call: HttpCall = {
      method: 'PUT',
      path: objectPath(key),
      headers: { 'content-type': 'application/octet-stream', ...(options.createOnly ? { 'if-none-match': '*' } : {}) },
      body,
      size,
      signal: options.signal,
    }
    // A stream is read once: only a buffered body can be sent again.
    const answer = await this.#json(`PUT ${key}`, call, buffered ? this.#retry : { ...this.#retry, attempts: 1 })
    const stored = answer as Partial<PutResult>
    if (stored.size !== undefined && size !== undefined && stored.size !== size) {
      throw new StorageIntegrityError(`${key}: the agent stored ${stored.size} bytes of ${size}`)
    }
    return { key, size: typeof stored.size === 'number' ? stored.size : (size ?? 0) }
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    checkKey(key)
    const headers = options.range ? { range: rangeHeader(key, options.range) } : {}
    const response = await this.#send(`GET ${key}`, { method: 'GET', path: objectPath(key), headers, signal: options.signal })
    return this.#body(response, `GET ${key}`)
  }

  /** The response body as a stream whose failures (a cut connection, a stall) are storage errors naming the read. */
  #body(response: IncomingMessage, what: string): Readable {
    const body = new PassThrough()
    response.on('error', (error) => body.destroy(asStorageError(error, what, this.url)))
    // A reader that stops early releases the connection.
    body.on('close', () => {
      if (!response.complete) {
        response.destroy()
      }
    })
    return response.pipe(body)
  }

  async head(key: string, options: { readonly signal?: AbortSignal } = {}): Promise<ObjectInfo | undefined> {
    checkKey(key)
    const response = await this.#send(`HEAD ${key}`, { method: 'HEAD', path: objectPath(key), signal: options.signal }, [404])
    response.resume()
    if (response.statusCode === 404) {
      return undefined
    }
    const size = Number(response.headers[OBJECT_SIZE_HEADER] ?? response.headers['content-length'])
    const modified = response.headers[LAST_MODIFIED_HEADER] ?? response.headers['last-modified']
    return { key, size, lastModified: new Date(String(modified)) }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    checkPrefix(prefix)
    const limit = Math.min(MAX_OBJECTS_PAGE, Math.max(1, options.pageSize ?? MAX_OBJECTS_PAGE))
    let after: string | undefined = options.startAfter
    do {
      const path = listQuery(prefix, limit, after)
      const page = parseObjectsPage(await this.#json(`list ${prefix || '(all)'}`, { method: 'GET', path, signal: options.signal }), this.url)
      yield* page.objects
      after = page.next
    } while (after !== undefined)
  }

  async delete(keys: readonly string[], options: { readonly signal?: AbortSignal } = {}): Promise<void> {
    keys.forEach(checkKey)
    for (let i = 0; i < keys.length; i += MAX_OBJECTS_PAGE) {
      const batch = keys.slice(i, i + MAX_OBJECTS_PAGE)
      const body = Buffer.from(JSON.stringify({ keys: batch }))
      const call: HttpCall = { method: 'POST', path: DELETE_OBJECTS_PATH, headers: { 'content-type': 'application/json' }, body, size: body.length, signal: options.signal }
      await this.#json(`delete ${batch.length} keys`, call)
    }
  }

  async close(): Promise<void> {
    this.#transport.close()
  }

  /** The JSON answer of a call. */
  async #json(what: string, call: HttpCall, policy: RetryPolicy = this.#retry): Promise<unknown> {
    return this.#attempts(what, call.signal, policy, async () => {
      const response = await this.#transport.request(call)
      const body = await readResponse(response)
      if ((response.statusCode ?? 0) >= 300) {
        throw httpAnswerError(response.statusCode ?? 0, body, what, this.url)
      }
      return JSON.parse(body.toString('utf8')) as unknown
    })
  }

  /** The response of a call whose status is 2xx or one of `accepted` (its body unread), with retries. */
  async #send(what: string, call: HttpCall, accepted: readonly number[] = []): Promise<IncomingMessage> {
    return this.#attempts(what, call.signal, this.#retry, async () => {
      const response = await this.#transport.request(call)
      const status = response.statusCode ?? 0
      if (status >= 300 && !accepted.includes(status)) {
        throw httpAnswerError(status, await readResponse(response), what, this.url)
      }
      return response
    })
  }

  async #attempts<T>(what: string, signal: AbortSignal | undefined, policy: RetryPolicy, fn: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(fn, policy, { isRetryable: isRetryableHttpError, ...(signal ? { signal } : {}) })
    } catch (error) {
      if (signal?.aborted) {
        throw signal.reason
      }
      if (isBodyError(error)) {
        throw error
      }
      throw asStorageError(error, what, this.url)
    }
  }
}
