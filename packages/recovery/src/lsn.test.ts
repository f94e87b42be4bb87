import { describe, expect, it } from 'vitest'
import { RecoveryLsnError } from './errors.js'
import { normalizeLsn } from './lsn.js'

describe('normalizeLsn', () => {
  it('accepts X/Y hex and normalizes case and leading zeros', () => {
    expect(normalizeLsn('0/16B3F28')).toBe('0/16B3F28')
    expect(normalizeLsn('0/0ffffff')).toBe('0/FFFFFF')
    expect(normalizeLsn('00000001/00000000')).toBe('1/0')
    expect(normalizeLsn(' FFFFFFFF/FFFFFFFF ')).toBe('FFFFFFFF/FFFFFFFF')
  })

  it.each(['', '0', '0/', '/0', '0/0/0', '0x1/2', 'G/1', '1/123456789', '-1/0', '1 /0', '16B3F28'])(
    'refuses %j with TIDEMARK_ERR_RECOVERY_LSN_INVALID',
    (text) => {
      expect(() => normalizeLsn(text)).toThrow(RecoveryLsnError)
      expect(() => normalizeLsn(text)).toThrow(/X\/Y/)
    }
  )
})
