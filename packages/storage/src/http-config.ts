// How an http(s) repository (a tidemark-agent) is reached: its bearer token (--token-file, else
// TIDEMARK_TOKEN_FILE, else TIDEMARK_TOKEN), deadlines and retries. tidemark-wal reads the token the
// same way (packages/wal/src/open-repository.ts), so one token file serves every command.
import { readFileSync } from 'node:fs'
import { StorageUsageError } from './errors.js'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js'

/** The bearer token for an http(s) repository. */
export const TOKEN_ENV: string = 'TIDEMARK_TOKEN'
/** A file holding the token (its first non-comment line), when --token-file is not given. */
export const TOKEN_FILE_ENV: string = 'TIDEMARK_TOKEN_FILE'

export interface HttpStorageOptions {
  /** The agent's bearer token. */
  readonly token: string
  /** PEM certificates to trust for https besides the system's (NODE_EXTRA_CA_CERTS works too). */
  readonly ca?: string | Buffer | undefined
  /** A request fails when its socket is idle this long (default 30 s): no answer, or a stalled body. */
  readonly timeoutMs?: number | undefined
  /** Tries of a request that can be repeated (default 5, with backoff and jitter). */
  readonly retry?: RetryPolicy | undefined
  /** Sockets kept per agent (default 16). */
  readonly maxSockets?: number | undefined
}

/** Whether a location names a tidemark-agent rather than a directory or a bucket. */
export function isHttpLocation(location: string): boolean {
  return /^https?:\/\//i.test(location)
}

/** The token from the file (--token-file, else TIDEMARK_TOKEN_FILE), else TIDEMARK_TOKEN; StorageUsageError when there is none. */
export function agentToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const file = tokenFile?.trim() || env[TOKEN_FILE_ENV]?.trim()
  if (file) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      throw new StorageUsageError(`token file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error })
    }
    const token = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .find((line) => line !== '' && !line.startsWith('#'))
    if (!token) {
      throw new StorageUsageError(`token file ${file} holds no token`)
    }
    return token
  }
  const token = env[TOKEN_ENV]?.trim()
  if (!token) {
    throw new StorageUsageError(`an http(s) repository needs a token: give --token-file FILE or set ${TOKEN_ENV}`)
  }
  return token
}

/** Seconds a request may go without progress (default 30), and the retries after a failed attempt (default 4). */
export const HTTP_TIMEOUT_ENV: string = 'TIDEMARK_HTTP_TIMEOUT'
export const HTTP_RETRIES_ENV: string = 'TIDEMARK_HTTP_RETRIES'

/** The flags of an http(s) repository as commander gives them. */
export interface HttpFlags {
  /** --token-file: the agent's token is its first non-comment line. */
  readonly tokenFile?: string | undefined
}

/** TIDEMARK_HTTP_TIMEOUT (seconds) and TIDEMARK_HTTP_RETRIES, each undefined when unset; StorageUsageError when invalid. */
export function httpEnvSettings(env: NodeJS.ProcessEnv = process.env): { readonly timeoutSeconds?: number; readonly retries?: number } {
  const timeoutSeconds = envInteger(env, HTTP_TIMEOUT_ENV, 1, 3600)
  const retries = envInteger(env, HTTP_RETRIES_ENV, 0, 10)
  return { ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}), ...(retries !== undefined ? { retries } : {}) }
}

/** HttpStorage options from the flags and the environment (token, TIDEMARK_HTTP_TIMEOUT, TIDEMARK_HTTP_RETRIES). */
export function httpOptionsFromFlags(flags: HttpFlags, env: NodeJS.ProcessEnv = process.env): HttpStorageOptions {
  const { timeoutSeconds: seconds, retries } = httpEnvSettings(env)
  return {
    token: agentToken(flags.tokenFile, env),
    ...(seconds !== undefined ? { timeoutMs: seconds * 1000 } : {}),
    ...(retries !== undefined ? { retry: { ...DEFAULT_RETRY_POLICY, attempts: retries + 1 } } : {}),
  }
}

function envInteger(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const text = env[name]?.trim()
  if (!text) {
    return undefined
  }
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new StorageUsageError(`${name}="${text.slice(0, 20)}": expected a whole number from ${min} to ${max}`)
  }
  return value
}

/** The base URL of an agent: http(s)://host[:port][/path], without credentials, query or fragment. */
export function agentBaseUrl(location: string): URL {
  let url: URL
  try {
    url = new URL(location)
  } catch (error) {
    throw new StorageUsageError(`repository "${location}" is not a URL`, { cause: error })
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    throw new StorageUsageError(`repository "${url.origin}": expected http(s)://host:port of a tidemark-agent, without credentials or query`)
  }
  return url
}

/**
 * The `{ error: { code, message } }` document of an agent's refusal; undefined when the body is not
 * JSON (a proxy's page, say), which each client describes its own way.
 */
export function agentErrorDocument(body: Buffer): { code: string; message: string } | undefined {
  try {
    const document = JSON.parse(body.toString('utf8')) as { error?: { code?: unknown; message?: unknown } }
    return {
      code: typeof document.error?.code === 'string' ? document.error.code : '',
      message: typeof document.error?.message === 'string' ? document.error.message : '',
    }
  } catch {
    return undefined
  }
}
