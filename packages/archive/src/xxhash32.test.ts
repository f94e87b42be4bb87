import { describe, expect, it } from 'vitest'
import { XxHash32, xxhash32 } from './xxhash32.js'
import { sampleBytes } from './testing/streams.js'

describe('xxhash32', () => {
  it('matches reference vectors', () => {
    expect(xxhash32(new Uint8Array(0))).toBe(0x02cc5d05)
    expect(xxhash32(Buffer.from('a'))).toBe(0x550d7456)
    expect(xxhash32(Buffer.from('abc'))).toBe(0x32d153ff)
    expect(xxhash32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f)
    expect(xxhash32(Buffer.from('abc'), 1)).not.toBe(0x32d153ff)
  })

  it('gives the same digest however the input is split', () => {
    const data = sampleBytes(1000, 2)
    const whole = xxhash32(data)
    for (const cut of [1, 3, 15, 16, 17, 100, 999]) {
      expect(new XxHash32().update(data.subarray(0, cut)).update(data.subarray(cut)).digest()).toBe(whole)
    }
  })
})
