// The agent's answers as this package's errors: its JSON error document `{ error: { code, message } }`
// and the status say which. 5xx (but 501) and network failures are worth another try; the rest are not.
import { agentErrorDocument } from './http-config.js'
import {
  StorageExistsError,
  StorageIntegrityError,
  StorageNotFoundError,
  StorageRequestError,
  StorageTimeoutError,
  StorageUsageError,
} from './errors.js'

/** A failure another attempt may not see: a 5xx answer (StorageRequestError for the caller). */
export class RetryableHttpError extends StorageRequestError {}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED'])

export function isRetryableHttpError(error: unknown): boolean {
  if (error instanceof RetryableHttpError || error instanceof StorageTimeoutError) {
    return true
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' && NETWORK_CODES.has(code)
}

/** The error of a non-2xx answer to `what` (a method and key) from the agent at `location`. */
export function httpAnswerError(status: number, body: Buffer, what: string, location: string): Error {
  const { code, message } = errorDocument(body)
  const text = `${what} at ${location}: ${message || `HTTP ${status}`}`
  if (status === 401) {
    return new StorageUsageError(`${location} refused the token (HTTP 401): check --token-file, TIDEMARK_TOKEN_FILE or TIDEMARK_TOKEN`)
  }
  if (status === 404 && code === 'TIDEMARK_ERR_AGENT_NOT_FOUND') {
    // The route itself is missing: an agent from before the object API.
    return new StorageRequestError(`${location} does not serve repository objects (${message || 'HTTP 404'}): update tidemark-agent`)
  }
  if (status === 404) {
    return new StorageNotFoundError(text)
  }
  if (status === 412) {
    return new StorageExistsError(text)
  }
  if (status === 400 || status === 413 || status === 416) {
    return new StorageUsageError(text)
  }
  if (code === 'TIDEMARK_ERR_STORAGE_INTEGRITY') {
    return new StorageIntegrityError(text)
  }
  if (code === 'TIDEMARK_ERR_STORAGE_TIMEOUT') {
    return new StorageTimeoutError(text)
  }
  if (status >= 500 && status !== 501) {
    return new RetryableHttpError(`${text} (HTTP ${status})`)
  }
  return new StorageRequestError(`${text} (HTTP ${status})`)
}

/** Any failure of a request as a storage error (network errors are StorageRequestError, naming the request). */
export function asStorageError(error: unknown, what: string, location: string): Error {
  const code = (error as { code?: unknown } | undefined)?.code
  if (error instanceof Error && typeof code === 'string' && code.startsWith('TIDEMARK_ERR_')) {
    return error
  }
  const reason = error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}` : String(error)
  return new StorageRequestError(`${what} at ${location} failed: ${reason}`, { cause: error })
}

function errorDocument(body: Buffer): { code: string; message: string } {
  return agentErrorDocument(body) ?? { code: '', message: body.toString('utf8').slice(0, 200).replace(/\s+/g, ' ').trim() }
}
