import { describe, expect, it } from 'vitest'
import { StorageExistsError, StorageNotFoundError, StorageRequestError, StorageTimeoutError } from './errors.js'
import { AttemptTimeout, isRetryableS3Error, storageErrorOf } from './s3-errors.js'

function sdkError(name: string, status?: number, message = name): Error {
  return Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) })
}

describe('isRetryableS3Error', () => {
  it('retries throttling, server errors, timeouts and network failures', () => {
    for (const error of [
      sdkError('SlowDown', 503),
      sdkError('InternalError', 500),
      sdkError('Unknown', 502),
      sdkError('TooManyRequests', 429),
      sdkError('TimeoutError'),
      new AttemptTimeout('x'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      new Error('x', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }),
      new Error('socket hang up'),
    ]) {
      expect(isRetryableS3Error(error), error.message).toBe(true)
    }
  })

  it('does not retry what another try cannot fix', () => {
    for (const error of [sdkError('AccessDenied', 403), sdkError('NoSuchKey', 404), sdkError('PreconditionFailed', 412), sdkError('InvalidArgument', 400), new Error('plain')]) {
      expect(isRetryableS3Error(error), error.message).toBe(false)
    }
  })
})

describe('storageErrorOf', () => {
  it('maps S3 answers to storage errors with the operation, code, status and attempts', () => {
    expect(storageErrorOf(sdkError('NoSuchKey', 404), 'get s3://b/k', 1)).toBeInstanceOf(StorageNotFoundError)
    expect(storageErrorOf(sdkError('NoSuchBucket', 404), 'get s3://b/k', 1).message).toBe('get s3://b/k: the bucket does not exist')
    expect(storageErrorOf(sdkError('PreconditionFailed', 412), 'put s3://b/k', 1)).toBeInstanceOf(StorageExistsError)
    const denied = storageErrorOf(sdkError('AccessDenied', 403, 'Access Denied'), 'put s3://b/k', 1)
    expect(denied).toBeInstanceOf(StorageRequestError)
    expect(denied.message).toBe('put s3://b/k: AccessDenied, HTTP 403: Access Denied (check the credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE)')
    expect(storageErrorOf(sdkError('InternalError', 500, 'boom'), 'list s3://b', 5).message).toBe('list s3://b: InternalError, HTTP 500: boom after 5 attempts')
    const timeout = storageErrorOf(new AttemptTimeout('no answer within 30000 ms'), 'head s3://b/k', 3)
    expect(timeout).toBeInstanceOf(StorageTimeoutError)
    expect(timeout.message).toBe('head s3://b/k: no answer within the deadline after 3 attempts; is the endpoint up and reachable?')
  })

  it('passes storage errors through and keeps the cause', () => {
    const own = new StorageExistsError('k exists')
    expect(storageErrorOf(own, 'x', 1)).toBe(own)
    const cause = sdkError('InvalidArgument', 400)
    expect(storageErrorOf(cause, 'x', 1).cause).toBe(cause)
  })
})
