import { describe, expect, it } from 'vitest'
import { LsnError, WalNameError } from './errors.js'
import { parseLsn } from './lsn.js'
import {
  backupHistoryFileName,
  maxSegmentNumber,
  nextSegmentFileName,
  parseSegmentFileName,
  previousSegmentFileName,
  segmentFileName,
  segmentFileNameOfLsn,
  segmentFileNamesBetween,
  segmentNumberOfEndLsn,
  segmentNumberOfLsn,
  segmentOffset,
  segmentRange,
  segmentStartLsn,
} from './segment.js'

const MB = 1024 * 1024
const SIZES = Array.from({ length: 11 }, (_, i) => MB * 2 ** i) // 1 MB … 1 GB

describe('segment', () => {
  it('names the segment of an LSN like XLogFileName for 16 MB segments', () => {
    expect(segmentFileNameOfLsn(1, parseLsn('0/16B3748'), 16 * MB)).toBe('000000010000000000000001')
    expect(segmentFileNameOfLsn(1, parseLsn('0/FF000000'), 16 * MB)).toBe('0000000100000000000000FF')
    expect(segmentFileNameOfLsn(1, parseLsn('1/0'), 16 * MB)).toBe('000000010000000100000000')
    expect(segmentFileNameOfLsn(2, parseLsn('A/12345678'), 16 * MB)).toBe('000000020000000A00000012')
    expect(segmentFileNameOfLsn(1, parseLsn('FFFFFFFF/FFFFFFFF'), 16 * MB)).toBe('00000001FFFFFFFF000000FF')
  })

  it('names segments for every size from 1 MB to 1 GB', () => {
    const lsn = parseLsn('3/7654321F')
    const expected: Record<number, string> = {
      [MB]: '000000010000000300000765',
      [2 * MB]: '0000000100000003000003B2',
      [16 * MB]: '000000010000000300000076',
      [64 * MB]: '00000001000000030000001D',
      [256 * MB]: '000000010000000300000007',
      [1024 * MB]: '000000010000000300000001',
    }
    for (const [size, name] of Object.entries(expected)) {
      expect(segmentFileNameOfLsn(1, lsn, Number(size))).toBe(name)
    }
  })

  it('round-trips names, numbers and LSNs for every segment size', () => {
    for (const size of SIZES) {
      const perId = 0x1_0000_0000n / BigInt(size)
      const samples = [0n, 1n, perId - 1n, perId, perId + 1n, 12345n * perId + 7n, maxSegmentNumber(size)]
      for (const segmentNumber of samples) {
        const name = segmentFileName(7, segmentNumber, size)
        expect(name).toMatch(/^00000007[0-9A-F]{16}$/)
        const id = parseSegmentFileName(name, size)
        expect(id.segmentNumber).toBe(segmentNumber)
        expect(id.timeline).toBe(7)
        expect(BigInt(id.seg)).toBeLessThan(perId)
        const start = segmentStartLsn(segmentNumber, size)
        expect(segmentNumberOfLsn(start, size)).toBe(segmentNumber)
        expect(segmentNumberOfLsn(start + BigInt(size - 1), size)).toBe(segmentNumber)
        expect(segmentOffset(start + 5n, size)).toBe(5)
        if (start > 0n) {
          expect(segmentNumberOfEndLsn(start, size)).toBe(segmentNumber - 1n)
        }
      }
      expect(() => segmentFileName(1, maxSegmentNumber(size) + 1n, size)).toThrow(WalNameError)
      expect(segmentFileNameOfLsn(1, parseLsn('FFFFFFFF/FFFFFFFF'), size)).toBe(
        segmentFileName(1, maxSegmentNumber(size), size)
      )
    }
  })

  it('refuses a seg half that cannot exist at the segment size', () => {
    expect(parseSegmentFileName('0000000100000000000000FF', 16 * MB).segmentNumber).toBe(255n)
    expect(() => parseSegmentFileName('000000010000000000000100', 16 * MB)).toThrow(WalNameError)
    expect(parseSegmentFileName('000000010000000000000FFF', MB).segmentNumber).toBe(4095n)
    expect(() => parseSegmentFileName('000000010000000000001000', MB)).toThrow(WalNameError)
    expect(() => parseSegmentFileName('000000010000000000000004', 1024 * MB)).toThrow(WalNameError)
    expect(() => parseSegmentFileName('00000001.history', 16 * MB)).toThrow(WalNameError)
  })

  it('steps to the next and previous segment across log boundaries', () => {
    expect(nextSegmentFileName('0000000100000000000000FE', 16 * MB)).toBe('0000000100000000000000FF')
    expect(nextSegmentFileName('0000000100000000000000FF', 16 * MB)).toBe('000000010000000100000000')
    expect(previousSegmentFileName('000000010000000100000000', 16 * MB)).toBe('0000000100000000000000FF')
    expect(nextSegmentFileName('000000010000000000000FFF', MB)).toBe('000000010000000100000000')
    expect(nextSegmentFileName('000000010000000000000003', 1024 * MB)).toBe('000000010000000100000000')
    expect(() => previousSegmentFileName('000000010000000000000000', 16 * MB)).toThrow(WalNameError)
    expect(() => nextSegmentFileName('00000001FFFFFFFF000000FF', 16 * MB)).toThrow(WalNameError)
  })

  it('enumerates the segments a WAL range needs', () => {
    const size = 16 * MB
    expect(segmentRange(1, parseLsn('0/2000028'), parseLsn('0/2000138'), size)).toEqual(['000000010000000000000002'])
    expect(segmentRange(1, parseLsn('0/2000028'), parseLsn('0/4000000'), size)).toEqual([
      '000000010000000000000002',
      '000000010000000000000003',
    ])
    expect(segmentRange(1, parseLsn('0/2000028'), parseLsn('0/4000001'), size)).toHaveLength(3)
    expect(segmentRange(1, parseLsn('0/FE000000'), parseLsn('1/01000000'), size)).toEqual([
      '0000000100000000000000FE',
      '0000000100000000000000FF',
      '000000010000000100000000',
    ])
    expect(segmentRange(3, parseLsn('0/5'), parseLsn('0/5'), size)).toEqual(['000000030000000000000000'])
    expect(segmentRange(1, parseLsn('0/0'), parseLsn('0/400000'), MB)).toHaveLength(4)
    expect(() => segmentRange(1, parseLsn('0/2'), parseLsn('0/1'), size)).toThrow(LsnError)
  })

  it('lists segment names between two names', () => {
    expect(segmentFileNamesBetween('0000000100000000000000FF', '000000010000000100000001', 16 * MB)).toEqual([
      '0000000100000000000000FF',
      '000000010000000100000000',
      '000000010000000100000001',
    ])
    expect(() => segmentFileNamesBetween('000000010000000000000002', '000000020000000000000003', 16 * MB)).toThrow(WalNameError)
    expect(() => segmentFileNamesBetween('000000010000000000000003', '000000010000000000000002', 16 * MB)).toThrow(WalNameError)
  })

  it('names backup history files like BackupHistoryFileName', () => {
    expect(backupHistoryFileName(1, parseLsn('0/2000028'), 16 * MB)).toBe('000000010000000000000002.00000028.backup')
    expect(backupHistoryFileName(1, parseLsn('0/2000028'), MB)).toBe('000000010000000000000020.00000028.backup')
  })
})
