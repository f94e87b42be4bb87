// Retries with exponential backoff and jitter. The schedule is pure (unit-tested); withRetry runs an
// operation under it and stops at the first non-retryable failure or when the attempts run out.

export interface RetryPolicy {
  /** Tries in all (1: no retry). */
  readonly attempts: number
  /** The first retry waits between base/2 and base ms; each further retry doubles the ceiling. */
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ attempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 })

/**
 * The wait before retry number `retry` (1-based): "equal jitter", uniformly in [ceiling/2, ceiling]
 * with ceiling = min(max, base * 2^(retry-1)), so waits grow yet concurrent clients spread out.
 */
export function backoffDelay(retry: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1))
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

export interface RetryHooks {
  readonly isRetryable: (error: unknown) => boolean
  readonly signal?: AbortSignal
  readonly random?: () => number
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** Runs fn until it succeeds, fails in a non-retryable way, or the attempts run out (the last error is thrown). */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy, hooks: RetryHooks): Promise<T> {
  const sleep = hooks.sleep ?? delay
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (hooks.signal?.aborted) {
        throw hooks.signal.reason
      }
      if (attempt >= policy.attempts || !hooks.isRetryable(error)) {
        throw error
      }
      await sleep(backoffDelay(attempt, policy, hooks.random), hooks.signal)
    }
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms)
    function done(): void {
      signal?.removeEventListener('abort', aborted)
      resolve()
    }
    function aborted(): void {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', aborted, { once: true })
  })
}
