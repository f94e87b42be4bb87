import { describe, expect, it } from 'vitest'
import { parseMaxRate } from './max-rate.js'

describe('parseMaxRate', () => {
  it('reads kB/s with and without suffixes', () => {
    expect(parseMaxRate('100')).toBe(100)
    expect(parseMaxRate('100k')).toBe(100)
    expect(parseMaxRate('2M')).toBe(2048)
  })

  it('refuses garbage and rates out of range', () => {
    expect(() => parseMaxRate('fast')).toThrow(/invalid transfer rate "fast"/)
    expect(() => parseMaxRate('31')).toThrow(/out of range/)
    expect(() => parseMaxRate('1025M')).toThrow(/out of range/)
  })
})
