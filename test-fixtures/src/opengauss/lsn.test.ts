import { describe, expect, it } from 'vitest'
import { formatLsn, parseLsn, walSegmentName } from './lsn.js'

describe('LSN text', () => {
  it('prints %X/%X without padding, upper case', () => {
    expect(formatLsn(0n)).toBe('0/0')
    expect(formatLsn(0x1_0b80_0000n)).toBe('1/B800000')
  })

  it('parses either case and refuses junk', () => {
    expect(parseLsn('1/b800000')).toBe(0x1_0b80_0000n)
    expect(() => parseLsn('1-2')).toThrow(/invalid LSN/)
  })

  it('names the segment holding an LSN', () => {
    expect(walSegmentName(1, 0x2000028n, 16 * 1024 * 1024)).toBe('000000010000000000000002')
    expect(walSegmentName(3, 0x1_ff00_0000n, 16 * 1024 * 1024)).toBe('0000000300000001000000FF')
  })
})
