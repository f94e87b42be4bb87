import { describe, expect, it } from 'vitest'
import { backoffDelay, DEFAULT_RETRY_POLICY, withRetry } from './retry.js'

const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 }

describe('backoffDelay', () => {
  it('doubles the ceiling per retry up to the maximum, with jitter in [ceiling/2, ceiling]', () => {
    expect([1, 2, 3, 4, 5, 6].map((r) => backoffDelay(r, policy, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000])
    expect([1, 2, 3, 4, 5, 6].map((r) => backoffDelay(r, policy, () => 0))).toEqual([50, 100, 200, 400, 500, 500])
    expect(backoffDelay(3, policy, () => 0.5)).toBe(300)
  })

  it('spreads concurrent clients out', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)))
    expect(delays.size).toBeGreaterThan(10)
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(DEFAULT_RETRY_POLICY.baseDelayMs * 4)
      expect(d).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.baseDelayMs * 8)
    }
  })
})

describe('withRetry', () => {
  it('retries retryable failures with the backoff schedule, then succeeds', async () => {
    const waits: number[] = []
    let calls = 0
    const result = await withRetry(
      async (attempt) => {
        calls++
        if (attempt < 3) {
          throw new Error('503')
        }
        return 'ok'
      },
      policy,
      { isRetryable: () => true, random: () => 1, sleep: async (ms) => void waits.push(ms) }
    )
    expect(result).toBe('ok')
    expect(calls).toBe(3)
    expect(waits).toEqual([100, 200])
  })

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0
    await expect(
      withRetry(async (attempt) => {
        calls++
        throw new Error(`fail ${attempt}`)
      }, policy, { isRetryable: () => true, sleep: async () => undefined })
    ).rejects.toThrow('fail 5')
    expect(calls).toBe(5)
  })

  it('does not retry a failure that is not retryable', async () => {
    let calls = 0
    await expect(
      withRetry(async () => {
        calls++
        throw new Error('403')
      }, policy, { isRetryable: () => false })
    ).rejects.toThrow('403')
    expect(calls).toBe(1)
  })

  it('stops waiting when aborted', async () => {
    const controller = new AbortController()
    const run = withRetry(async () => {
      throw new Error('503')
    }, { attempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 }, { isRetryable: () => true, signal: controller.signal })
    controller.abort(new Error('stop'))
    await expect(run).rejects.toThrow('stop')
  })
})
