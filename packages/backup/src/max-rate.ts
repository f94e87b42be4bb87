import { MaxRateError } from './errors.js'

/** pg_basebackup's bounds for MAX_RATE, in kB/s. */
export const MAX_RATE_MIN_KB: number = 32
export const MAX_RATE_MAX_KB: number = 1024 * 1024

/** Parses `-r RATE`: kB/s, or with a `k` or `M` suffix, as pg_basebackup does. Returns kB/s. */
export function parseMaxRate(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kM]?)\s*$/.exec(text)
  if (!match) {
    throw new MaxRateError(`invalid transfer rate "${text}" (kB/s, or with the suffix k or M)`)
  }
  const value = Number(match[1]) * (match[2] === 'M' ? 1024 : 1)
  const rate = Math.round(value)
  if (rate < MAX_RATE_MIN_KB || rate > MAX_RATE_MAX_KB) {
    throw new MaxRateError(`transfer rate "${text}" is out of range (${MAX_RATE_MIN_KB} kB/s to ${MAX_RATE_MAX_KB / 1024} MB/s)`)
  }
  return rate
}
