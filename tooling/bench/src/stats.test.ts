import { describe, expect, it } from 'vitest'
import { median, summarize } from './stats.js'

describe('median', () => {
  it('takes the middle value of an odd count whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3)
  })

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2]
    median(values)
    expect(values).toEqual([3, 1, 2])
  })

  it('throws on no values', () => {
    expect(() => median([])).toThrow(RangeError)
  })
})

describe('summarize', () => {
  it('gives count, median, min and max', () => {
    expect(summarize([2.5, 1, 10, 3, 4])).toEqual({ n: 5, median: 3, min: 1, max: 10 })
  })

  it('is undefined for a case that never ran', () => {
    expect(summarize([])).toBeUndefined()
  })
})
