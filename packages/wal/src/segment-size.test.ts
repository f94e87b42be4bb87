import { describe, expect, it } from 'vitest'
import { SegmentSizeError } from './errors.js'
import { checkSegmentSize, isValidSegmentSize, segmentsPerLogId } from './segment-size.js'

const MB = 1024 * 1024

describe('segment-size', () => {
  it('accepts every power of two from 1 MB to 1 GB', () => {
    for (let size = MB; size <= 1024 * MB; size *= 2) {
      expect(isValidSegmentSize(size)).toBe(true)
      expect(checkSegmentSize(size)).toBe(size)
      expect(segmentsPerLogId(size)).toBe(0x1_0000_0000n / BigInt(size))
    }
    expect(segmentsPerLogId(16 * MB)).toBe(256n)
    expect(segmentsPerLogId(MB)).toBe(4096n)
    expect(segmentsPerLogId(1024 * MB)).toBe(4n)
  })

  it('refuses sizes that are not powers of two or out of range', () => {
    for (const size of [0, -MB, MB / 2, 2048 * MB, 3 * MB, MB + 1, 1.5, Number.NaN]) {
      expect(isValidSegmentSize(size), String(size)).toBe(false)
      expect(() => checkSegmentSize(size)).toThrow(SegmentSizeError)
    }
  })
})
