// What an S3 failure means: retry it or not, and which storage error it becomes. The SDK's errors
// carry `name` (the S3 error code), `$metadata.httpStatusCode`, or a socket `code` for network failures.
import {
  StorageExistsError,
  StorageNotFoundError,
  StorageRequestError,
  StorageTimeoutError,
} from './errors.js'

/** The reason our own per-attempt deadline aborts a request with. */
export class AttemptTimeout extends Error {
  override readonly name: string = 'AttemptTimeout'
}

interface SdkErrorShape {
  readonly name?: string
  readonly code?: string
  readonly message?: string
  readonly $metadata?: { readonly httpStatusCode?: number }
  readonly cause?: unknown
}

const RETRYABLE_NAMES = new Set([
  'SlowDown',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TimeoutError',
  'AttemptTimeout',
])
const RETRYABLE_SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
])

export function httpStatus(error: unknown): number | undefined {
  return (error as SdkErrorShape | undefined)?.$metadata?.httpStatusCode
}

function socketCode(error: unknown): string | undefined {
  for (let e = error as SdkErrorShape | undefined, depth = 0; e && depth < 4; e = e.cause as SdkErrorShape | undefined, depth++) {
    if (typeof e.code === 'string' && e.code.startsWith('E')) {
      return e.code
    }
  }
  return undefined
}

/** Whether a failed request may succeed when sent again: throttling, server errors, network trouble, timeouts. */
export function isRetryableS3Error(error: unknown): boolean {
  const e = error as SdkErrorShape | undefined
  if (!e) {
    return false
  }
  if (e instanceof AttemptTimeout || RETRYABLE_NAMES.has(e.name ?? '')) {
    return true
  }
  const status = httpStatus(error)
  if (status !== undefined) {
    return status >= 500 || status === 429 || status === 408
  }
  const code = socketCode(error)
  if (code && RETRYABLE_SOCKET_CODES.has(code)) {
    return true
  }
  return /socket hang up|ECONNRESET|other side closed/i.test(e.message ?? '')
}

export function isTimeout(error: unknown): boolean {
  const name = (error as SdkErrorShape | undefined)?.name
  return error instanceof AttemptTimeout || name === 'TimeoutError' || name === 'RequestTimeout' || socketCode(error) === 'ETIMEDOUT'
}

export function isNotFound(error: unknown): boolean {
  const name = (error as SdkErrorShape | undefined)?.name
  return name === 'NoSuchKey' || name === 'NotFound' || (httpStatus(error) === 404 && name !== 'NoSuchBucket')
}

/** A storage error (passed through when it already is one) naming the operation, the S3 code and the status. */
export function storageErrorOf(error: unknown, what: string, attempts: number): Error {
  if (error instanceof Error && 'exitCode' in error) {
    return error
  }
  const e = (error ?? {}) as SdkErrorShape
  const status = httpStatus(error)
  const code = socketCode(error)
  // A HEAD answer has no body, so no S3 error code: the SDK then says Unknown / UnknownError.
  const named = e.name && !['Error', 'Unknown', 'UnknownError'].includes(e.name) ? e.name : undefined
  const detail = [named, status ? `HTTP ${status}` : undefined, code].filter(Boolean).join(', ')
  const text = e.message && e.message !== 'UnknownError' && e.message !== named ? e.message : undefined
  const tries = attempts > 1 ? ` after ${attempts} attempts` : ''
  const message = `${what}: ${[detail, text].filter(Boolean).join(': ') || String(error)}${tries}`
  if (isTimeout(error)) {
    return new StorageTimeoutError(`${what}: no answer within the deadline${tries}; is the endpoint up and reachable?`, { cause: error })
  }
  if (e.name === 'NoSuchBucket') {
    return new StorageNotFoundError(`${what}: the bucket does not exist`, { cause: error })
  }
  if (isNotFound(error)) {
    return new StorageNotFoundError(`${what}: not found`, { cause: error })
  }
  if (status === 412 || e.name === 'PreconditionFailed') {
    return new StorageExistsError(`${what}: the key already exists; it was not replaced`, { cause: error })
  }
  if (status === 403 || e.name === 'InvalidAccessKeyId' || e.name === 'SignatureDoesNotMatch' || e.name === 'AccessDenied') {
    return new StorageRequestError(`${message} (check the credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE)`, { cause: error })
  }
  return new StorageRequestError(message, { cause: error })
}
