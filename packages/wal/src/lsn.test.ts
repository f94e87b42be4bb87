import { describe, expect, it } from 'vitest'
import { LsnError } from './errors.js'
import { compareLsn, formatLsn, isLsn, lsnAdd, lsnDiff, MAX_LSN, parseLsn } from './lsn.js'

describe('lsn', () => {
  it('parses X/Y in any case and with 1 to 8 digits a side', () => {
    expect(parseLsn('0/0')).toBe(0n)
    expect(parseLsn('0/16B3748')).toBe(0x16b3748n)
    expect(parseLsn('1/0')).toBe(0x1_0000_0000n)
    expect(parseLsn('a/b')).toBe(0xa_0000_000bn)
    expect(parseLsn('FFFFFFFF/FFFFFFFF')).toBe(MAX_LSN)
    expect(parseLsn('00000001/00000002')).toBe(0x1_0000_0002n)
    expect(parseLsn(' 0/1 ')).toBe(1n)
  })

  it('refuses anything that is not X/Y', () => {
    for (const bad of ['', '0', '/', '0/', '/0', '0/0/0', 'G/0', '0/123456789', '123456789/0', '-1/0', '0x1/0', '0 /1']) {
      expect(() => parseLsn(bad), bad).toThrow(LsnError)
      expect(isLsn(bad), bad).toBe(false)
    }
  })

  it('formats as %X/%X and round-trips', () => {
    expect(formatLsn(0n)).toBe('0/0')
    expect(formatLsn(0x16b3748n)).toBe('0/16B3748')
    expect(formatLsn(MAX_LSN)).toBe('FFFFFFFF/FFFFFFFF')
    for (const text of ['0/0', '0/1', '1/0', 'DEAD/BEEF', '0/FFFFFFFF', 'FFFFFFFF/0']) {
      expect(formatLsn(parseLsn(text))).toBe(text)
    }
    expect(() => formatLsn(-1n)).toThrow(LsnError)
    expect(() => formatLsn(MAX_LSN + 1n)).toThrow(LsnError)
  })

  it('adds, subtracts and compares across the 4 GB boundary', () => {
    expect(lsnAdd(parseLsn('0/FFFFFFFF'), 1)).toBe(parseLsn('1/0'))
    expect(lsnDiff(parseLsn('1/0'), parseLsn('0/FFFFFFF0'))).toBe(16n)
    expect(lsnDiff(parseLsn('0/0'), parseLsn('0/10'))).toBe(-16n)
    expect(() => lsnAdd(MAX_LSN, 1)).toThrow(LsnError)
    expect(() => lsnAdd(0n, -1)).toThrow(LsnError)
    expect(compareLsn(1n, 2n)).toBe(-1)
    expect(compareLsn(2n, 2n)).toBe(0)
    expect(compareLsn(3n, 2n)).toBe(1)
  })
})
