import { describe, expect, it } from 'vitest'
import { backupRecord, history, lsnIn, seg, segs, walView } from '../testing/synthetic-catalog.js'
import { backupWalCoverage, recoveryPathOf } from './wal-coverage.js'

const backup = backupRecord('20261124T100000Z-aaaaaa', 2, 3, '2026-11-24T10:00:00Z')

describe('backupWalCoverage', () => {
  it('is consistent and recoverable to the end of the last unbroken segment when all WAL is archived', () => {
    const coverage = backupWalCoverage(backup, walView(segs(1, 1, 6)))
    expect(coverage).toEqual({
      startSegment: seg(1, 2),
      endSegment: seg(1, 3),
      consistent: true,
      missing: [],
      timelines: [1],
      recoverableTo: { lsn: lsnIn(7, 0), segment: seg(1, 6), timeline: 1 },
      missingFrom: undefined,
    })
  })

  it('names the missing segments and has no recoverable end when the backup cannot become consistent', () => {
    const coverage = backupWalCoverage(backup, walView([seg(1, 2), ...segs(1, 4, 6)]))
    expect(coverage.consistent).toBe(false)
    expect(coverage.missing).toEqual([seg(1, 3)])
    expect(coverage.missingFrom).toBe(seg(1, 3))
    expect(coverage.recoverableTo).toBeUndefined()
  })

  it('stops at a hole after the backup and names its first segment', () => {
    const coverage = backupWalCoverage(backup, walView([...segs(1, 2, 4), ...segs(1, 6, 7)]))
    expect(coverage.consistent).toBe(true)
    expect(coverage.recoverableTo?.segment).toBe(seg(1, 4))
    expect(coverage.missingFrom).toBe(seg(1, 5))
  })

  it('follows a timeline switch through the history file, reading the switch segment from the new timeline', () => {
    const view = walView([...segs(1, 2, 4), `${seg(1, 5)}.partial`, ...segs(2, 5, 7)], { 2: history([{ timeline: 1, at: 5 }]) })
    const latest = backupWalCoverage(backup, view)
    expect(latest.timelines).toEqual([1, 2])
    expect(latest.recoverableTo).toEqual({ lsn: lsnIn(8, 0), segment: seg(2, 7), timeline: 2 })
    const current = backupWalCoverage(backup, view, 'current')
    expect(current.timelines).toEqual([1])
    expect(current.recoverableTo?.segment).toBe(seg(1, 4))
  })

  it('stays on the backup timeline when the newer timeline branched off before the backup ended', () => {
    const late = backupRecord('20261124T110000Z-bbbbbb', 5, 6, '2026-11-24T11:00:00Z')
    const view = walView([...segs(1, 2, 7), ...segs(2, 5, 7)], { 2: history([{ timeline: 1, at: 5 }]) })
    expect(recoveryPathOf(late, view)).toEqual([{ timeline: 1, begin: 0n, end: undefined }])
    expect(backupWalCoverage(late, view).recoverableTo?.segment).toBe(seg(1, 7))
    expect(recoveryPathOf(late, view, 2)).toBeUndefined()
    expect(backupWalCoverage(late, view, 2)).toMatchObject({ consistent: true, timelines: [], recoverableTo: undefined })
  })

  it('knows no path to a named timeline whose history the archive lacks', () => {
    expect(recoveryPathOf(backup, walView(segs(1, 2, 3)), 3)).toBeUndefined()
    expect(recoveryPathOf(backup, walView(segs(1, 2, 3)), 1)).toEqual([{ timeline: 1, begin: 0n, end: undefined }])
  })
})
