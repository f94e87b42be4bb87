import { describe, expect, it } from 'vitest'
import { WalNameError } from './errors.js'
import {
  checkTimeline,
  classifyWalFileName,
  historyFileName,
  isBackupHistoryFileName,
  isHistoryFileName,
  isPartialFileName,
  isSegmentFileName,
  isWalFileName,
  parseWalFileName,
} from './wal-file-name.js'

describe('wal-file-name', () => {
  it('classifies segments, .partial, .history and .backup names', () => {
    expect(classifyWalFileName('000000010000000000000001')).toEqual({
      name: '000000010000000000000001', kind: 'segment', timeline: 1, segment: '000000010000000000000001',
    })
    expect(classifyWalFileName('0000000A00000002000000FF.partial')).toEqual({
      name: '0000000A00000002000000FF.partial', kind: 'partial', timeline: 10, segment: '0000000A00000002000000FF',
    })
    expect(classifyWalFileName('00000002.history')).toEqual({ name: '00000002.history', kind: 'history', timeline: 2 })
    expect(classifyWalFileName('000000010000000000000002.00000028.backup')).toEqual({
      name: '000000010000000000000002.00000028.backup',
      kind: 'backup',
      timeline: 1,
      segment: '000000010000000000000002',
      backupOffset: 0x28,
    })
    expect(isSegmentFileName('000000010000000000000001')).toBe(true)
    expect(isPartialFileName('000000010000000000000001.partial')).toBe(true)
    expect(isHistoryFileName('00000001.history')).toBe(true)
    expect(isBackupHistoryFileName('000000010000000000000002.00000028.backup')).toBe(true)
    expect(isSegmentFileName('00000001.history')).toBe(false)
  })

  it('refuses everything else, paths and traversal above all', () => {
    const bad = [
      '', '.', '..', '../000000010000000000000001', '/000000010000000000000001', 'pg_wal/000000010000000000000001',
      '00000001000000000000000', '0000000100000000000000010', '00000001000000000000000g', '00000001000000000000000a',
      '000000010000000000000001.gz', '000000010000000000000001.partial.gz', '000000010000000000000001.ready',
      '0000001.history', '00000001.History', '00000001.history/', '000000010000000000000002.0000028.backup',
      '000000010000000000000002.00000028', 'RECOVERYXLOG', 'RECOVERYHISTORY', '000000010000000000000001\n',
      ' 000000010000000000000001', '000000010000000000000001\u0000', 'backup_label',
    ]
    for (const name of bad) {
      expect(isWalFileName(name), JSON.stringify(name)).toBe(false)
      expect(() => parseWalFileName(name)).toThrow(WalNameError)
    }
  })

  it('names history files and checks timelines', () => {
    expect(historyFileName(1)).toBe('00000001.history')
    expect(historyFileName(0xabc)).toBe('00000ABC.history')
    expect(historyFileName(0xffffffff)).toBe('FFFFFFFF.history')
    for (const tli of [0, -1, 0x1_0000_0000, 1.5]) {
      expect(() => checkTimeline(tli)).toThrow(WalNameError)
    }
  })
})
