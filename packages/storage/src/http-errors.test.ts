import { describe, expect, it } from 'vitest'
import { StorageExistsError, StorageIntegrityError, StorageNotFoundError, StorageRequestError, StorageUsageError } from './errors.js'
import { asStorageError, httpAnswerError, isRetryableHttpError, RetryableHttpError } from './http-errors.js'

const document = (code: string, message: string): Buffer => Buffer.from(JSON.stringify({ error: { code, message } }))
const AT = 'http://agent:7433'

describe("the agent's answers as storage errors", () => {
  it('maps a refused create-only put (412) to StorageExistsError and a missing key to StorageNotFoundError', () => {
    const exists = httpAnswerError(412, document('TIDEMARK_ERR_STORAGE_EXISTS', 'c/k exists already'), 'PUT c/k', AT)
    expect(exists).toBeInstanceOf(StorageExistsError)
    expect(exists.message).toBe('PUT c/k at http://agent:7433: c/k exists already')
    expect(httpAnswerError(404, document('TIDEMARK_ERR_STORAGE_NOT_FOUND', 'k not found'), 'GET k', AT)).toBeInstanceOf(StorageNotFoundError)
  })

  it('says which token to check on 401, and that an agent without the routes needs an update', () => {
    const refused = httpAnswerError(401, document('TIDEMARK_ERR_AGENT_UNAUTHORIZED', 'missing or wrong bearer token'), 'HEAD k', AT)
    expect(refused).toBeInstanceOf(StorageUsageError)
    expect(refused.message).toBe('http://agent:7433 refused the token (HTTP 401): check --token-file, TIDEMARK_TOKEN_FILE or TIDEMARK_TOKEN')
    const old = httpAnswerError(404, document('TIDEMARK_ERR_AGENT_NOT_FOUND', 'no route GET /v1/objects'), 'list', AT)
    expect(old).toBeInstanceOf(StorageRequestError)
    expect(old.message).toMatch(/does not serve repository objects .*update tidemark-agent/)
  })

  it('retries 5xx (not 501), timeouts and network failures, nothing else', () => {
    const failed = httpAnswerError(500, document('TIDEMARK_ERR_STORAGE_IO', 'disk full'), 'PUT k', AT)
    expect(failed).toBeInstanceOf(RetryableHttpError)
    expect(failed).toBeInstanceOf(StorageRequestError)
    expect(isRetryableHttpError(failed)).toBe(true)
    expect(isRetryableHttpError(httpAnswerError(503, Buffer.from('busy'), 'GET k', AT))).toBe(true)
    expect(isRetryableHttpError(httpAnswerError(501, Buffer.from(''), 'GET k', AT))).toBe(false)
    expect(isRetryableHttpError(httpAnswerError(400, document('TIDEMARK_ERR_STORAGE_USAGE', 'bad key'), 'GET k', AT))).toBe(false)
    expect(isRetryableHttpError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true)
    expect(isRetryableHttpError(new Error('source read failed'))).toBe(false)
    expect(httpAnswerError(500, document('TIDEMARK_ERR_STORAGE_INTEGRITY', 'short body'), 'PUT k', AT)).toBeInstanceOf(StorageIntegrityError)
    expect(httpAnswerError(416, document('TIDEMARK_ERR_STORAGE_USAGE', 'past the end'), 'GET k', AT)).toBeInstanceOf(StorageUsageError)
  })

  it('names the request in a network failure and keeps storage errors as they are', () => {
    const network = asStorageError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'HEAD k', AT)
    expect(network).toBeInstanceOf(StorageRequestError)
    expect(network.message).toBe('HEAD k at http://agent:7433 failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1')
    const usage = new StorageUsageError('bad')
    expect(asStorageError(usage, 'x', AT)).toBe(usage)
  })
})
