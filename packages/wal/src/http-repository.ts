// A WAL repository behind a tidemark-agent (`--repo http(s)://host:port`, docs/agent.md). The agent
// applies push's rules itself (pushWal on its side); this client only carries bytes and maps the
// agent's answers back to this package's errors. Every request has a deadline and a bounded number
// of retries with backoff, then fails: archive_command and restore_command must never hang.
import { agentBaseUrl, agentErrorDocument } from '@tidemark/storage/http-config'
import { decompressWal } from './compression.js'
import type { ArchivedWalInfo } from './archived-file.js'
import {
  WalConflictError,
  WalContentMismatchError,
  WalIoError,
  WalNameError,
  WalRepositoryError,
  WalSegmentSizeMismatchError,
  WalSystemMismatchError,
  WalUsageError,
} from './errors.js'
import { isHistoryFileName, isPartialFileName, isSegmentFileName } from './wal-file-name.js'
import { segmentFileNamesBetween } from './segment.js'
import type { ArchivedWal, RepositoryIdentity, WalRepository } from './wal-repository.js'

export interface HttpRepositoryOptions {
  /** The bearer token (TIDEMARK_TOKEN or the first line of --token-file). */
  readonly token: string
  /** Deadline of one attempt, in milliseconds (default 20 s). */
  readonly timeoutMs?: number
  /** Attempts after the first one for network failures and 5xx answers (default 2). */
  readonly retries?: number
  /** First pause between attempts, doubled each time (default 500 ms). */
  readonly backoffMs?: number
  /** The fetch to use (tests). */
  readonly fetch?: typeof fetch
}

const SHA256_HEADER = 'x-tidemark-sha256'
const SIZE_HEADER = 'x-tidemark-size'
const DEFAULTS = { timeoutMs: 20_000, retries: 2, backoffMs: 500 }

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly body: Buffer
}

export class HttpWalRepository implements WalRepository {
  readonly location: string
  readonly #base: string
  readonly #token: string
  readonly #timeoutMs: number
  readonly #retries: number
  readonly #backoffMs: number
  readonly #fetch: typeof fetch

  constructor(url: string, options: HttpRepositoryOptions) {
    let parsed: URL
    try {
      parsed = agentBaseUrl(url)
    } catch (error) {
      // The same check as HttpStorage's, reported as this package's usage error (tidemark-wal's exit 2).
      throw new WalUsageError((error as Error).message, { cause: error })
    }
    if (!options.token) {
      throw new WalUsageError(`repository ${parsed.origin}: no token (set TIDEMARK_TOKEN or give --token-file)`)
    }
    this.#base = `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`
    this.location = this.#base
    this.#token = options.token
    this.#timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs
    this.#retries = options.retries ?? DEFAULTS.retries
    this.#backoffMs = options.backoffMs ?? DEFAULTS.backoffMs
    this.#fetch = options.fetch ?? fetch
  }

  async readIdentity(): Promise<RepositoryIdentity | undefined> {
    const answer = await this.#request('GET', '/v1/repository')
    this.#check(answer, '/v1/repository')
    const document = parseJson(answer.body) as { systemIdentifier?: unknown; segmentSize?: unknown; flavor?: unknown; major?: unknown }
    if (typeof document.systemIdentifier !== 'string' || typeof document.segmentSize !== 'number') {
      return undefined
    }
    return {
      systemIdentifier: document.systemIdentifier,
      segmentSize: document.segmentSize,
      ...(document.flavor === 'postgresql' || document.flavor === 'opengauss' ? { flavor: document.flavor } : {}),
      ...(typeof document.major === 'number' ? { major: document.major } : {}),
    }
  }

  /** The agent binds its repository with the first segment it stores; until then this one is in force. */
  async bindIdentity(identity: RepositoryIdentity): Promise<RepositoryIdentity> {
    return (await this.readIdentity()) ?? identity
  }

  async head(name: string): Promise<ArchivedWalInfo | undefined> {
    const answer = await this.#request('HEAD', walPath(name))
    if (answer.status === 404) {
      return undefined
    }
    this.#check(answer, name)
    return infoOf(answer, name, this.location)
  }

  async read(name: string): Promise<ArchivedWal | undefined> {
    const answer = await this.#request('GET', walPath(name))
    if (answer.status === 404) {
      return undefined
    }
    this.#check(answer, name)
    return { info: infoOf(answer, name, this.location), payload: answer.body }
  }

  /** Sends the original bytes (the agent stores them under its own rules); 'exists' when already archived. */
  async putIfAbsent(name: string, info: ArchivedWalInfo, payload: Uint8Array): Promise<'stored' | 'exists'> {
    const bytes = await decompressWal(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), info.compression, name)
    const answer = await this.#request('PUT', walPath(name), bytes)
    if (answer.status === 201) {
      return 'stored'
    }
    if (answer.status === 200) {
      return 'exists'
    }
    this.#check(answer, name)
    throw new WalRepositoryError(`${this.location} answered ${answer.status} to PUT ${name}`)
  }

  async list(): Promise<string[]> {
    const answer = await this.#request('GET', '/v1/wal')
    this.#check(answer, '/v1/wal')
    const inventory = parseJson(answer.body) as {
      segmentSize?: number | null
      timelines?: { ranges?: { first: string; last: string }[] }[]
      partial?: string[]
      history?: string[]
      backupHistory?: string[]
    }
    const names: string[] = []
    for (const timeline of inventory.timelines ?? []) {
      for (const range of timeline.ranges ?? []) {
        names.push(...segmentFileNamesBetween(range.first, range.last, inventory.segmentSize ?? 16 * 1024 * 1024))
      }
    }
    names.push(...(inventory.partial ?? []), ...(inventory.history ?? []), ...(inventory.backupHistory ?? []))
    return names.filter((name) => isSegmentFileName(name) || isPartialFileName(name) || isHistoryFileName(name) || /\.backup$/.test(name)).sort()
  }

  async remove(name: string): Promise<void> {
    throw new WalUsageError(
      `cannot remove ${name} through ${this.location}: run tidemark-wal cleanup on the agent's host, against its repository directory`
    )
  }

  /** One request with retries: network failures, timeouts and 5xx are retried, other answers returned. */
  async #request(method: 'GET' | 'HEAD' | 'PUT', path: string, body?: Buffer): Promise<Answer> {
    let failure = ''
    for (let attempt = 0; attempt <= this.#retries; attempt += 1) {
      if (attempt > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.#backoffMs * 2 ** (attempt - 1)))
      }
      try {
        const response = await this.#fetch(`${this.#base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.#token}`,
            ...(body ? { 'content-type': 'application/octet-stream' } : {}),
          },
          ...(body ? { body } : {}),
          signal: AbortSignal.timeout(this.#timeoutMs),
        })
        const bytes = Buffer.from(await response.arrayBuffer())
        if (response.status >= 500 && response.status !== 501) {
          failure = `HTTP ${response.status}${describeError(bytes)}`
          continue
        }
        return { status: response.status, headers: response.headers, body: bytes }
      } catch (error) {
        failure = (error as Error).name === 'TimeoutError' ? `no answer within ${this.#timeoutMs} ms` : describeNetwork(error)
      }
    }
    throw new WalIoError(`${method} ${path} at ${this.location} failed after ${this.#retries + 1} attempts: ${failure}`)
  }

  /** Turns a refusal of the agent into this package's error for it. */
  #check(answer: Answer, name: string): void {
    if (answer.status < 300) {
      return
    }
    const { code, message } = errorBody(answer.body)
    const text = message || `HTTP ${answer.status}`
    if (answer.status === 401) {
      throw new WalUsageError(`${this.location} refused the token (HTTP 401): check TIDEMARK_TOKEN or --token-file`)
    }
    switch (code) {
      case 'TIDEMARK_ERR_WAL_BAD_NAME':
        throw new WalNameError(text)
      case 'TIDEMARK_ERR_WAL_CONTENT_MISMATCH':
        throw new WalContentMismatchError(text)
      case 'TIDEMARK_ERR_WAL_SEGMENT_SIZE_MISMATCH':
      case 'TIDEMARK_ERR_AGENT_BODY_TOO_LARGE':
        throw new WalSegmentSizeMismatchError(text)
      case 'TIDEMARK_ERR_WAL_CONFLICT': {
        const sums = /archived sha256 ([0-9a-f]+), pushed sha256 ([0-9a-f]+)/.exec(text)
        throw sums?.[1] && sums[2] ? new WalConflictError(name, sums[1], sums[2]) : new WalRepositoryError(text)
      }
      case 'TIDEMARK_ERR_WAL_SYSTEM_MISMATCH': {
        const systems = /database system (\d+) but the repository is bound to system (\d+)/.exec(text)
        throw systems?.[1] && systems[2] ? new WalSystemMismatchError(name, systems[2], systems[1]) : new WalRepositoryError(text)
      }
      default:
        throw new WalRepositoryError(`${this.location}: ${text}${code ? ` [${code}]` : ''}`)
    }
  }
}

function walPath(name: string): string {
  return `/v1/wal/${encodeURIComponent(name)}`
}

function infoOf(answer: Answer, name: string, location: string): ArchivedWalInfo {
  const sha256 = answer.headers.get(SHA256_HEADER) ?? ''
  const size = Number(answer.headers.get(SIZE_HEADER) ?? 'NaN')
  if (!/^[0-9a-f]{64}$/.test(sha256) || !Number.isSafeInteger(size)) {
    throw new WalRepositoryError(`${location} sent ${name} without valid ${SHA256_HEADER}/${SIZE_HEADER} headers: is it a tidemark-agent?`)
  }
  return { sha256, size, compression: 'none' }
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch (error) {
    throw new WalRepositoryError('the agent answered with something that is not JSON: is the URL a tidemark-agent?', { cause: error })
  }
}

function errorBody(bytes: Buffer): { code: string; message: string } {
  return agentErrorDocument(bytes) ?? { code: '', message: '' }
}

function describeError(bytes: Buffer): string {
  const { code, message } = errorBody(bytes)
  return message ? `: ${message}${code ? ` [${code}]` : ''}` : ''
}

function describeNetwork(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message
}
