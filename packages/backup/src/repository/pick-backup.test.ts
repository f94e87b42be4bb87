import { describe, expect, it } from 'vitest'
import { NoBackupForTargetError } from '../errors.js'
import { backupRecord, history, lsnIn, seg, segs, walView } from '../testing/synthetic-catalog.js'
import { chooseBackupForTarget } from './pick-backup.js'

const older = backupRecord('20261124T100000Z-aaaaaa', 2, 3, '2026-11-24T10:00:00Z')
const newer = backupRecord('20261124T110000Z-bbbbbb', 6, 7, '2026-11-24T11:00:00Z')
const records = [newer, older]

function pickedId(...args: Parameters<typeof chooseBackupForTarget>): string {
  return chooseBackupForTarget(...args).record.id
}

function refusal(...args: Parameters<typeof chooseBackupForTarget>): NoBackupForTargetError {
  try {
    chooseBackupForTarget(...args)
  } catch (error) {
    expect(error).toBeInstanceOf(NoBackupForTargetError)
    return error as NoBackupForTargetError
  }
  throw new Error('expected NoBackupForTargetError')
}

describe('chooseBackupForTarget', () => {
  const wal = walView(segs(1, 2, 9))

  it('picks the newest consistent backup without a target or for immediate', () => {
    expect(pickedId(records, wal)).toBe(newer.id)
    expect(pickedId(records, wal, { target: { kind: 'immediate' } })).toBe(newer.id)
  })

  it('passes over a newer backup whose WAL is missing and says why', () => {
    const picked = chooseBackupForTarget(records, walView([...segs(1, 2, 6), ...segs(1, 8, 9)]))
    expect(picked.record.id).toBe(older.id)
    expect(picked.passedOver).toEqual([{ id: newer.id, reason: `WAL is missing from ${seg(1, 7)}, so it cannot become consistent` }])
  })

  it('picks by end time for a time target and refuses one before the oldest backup ended', () => {
    expect(pickedId(records, wal, { target: { kind: 'time', time: '2026-11-24 10:30:00+00' } })).toBe(older.id)
    expect(pickedId(records, wal, { target: { kind: 'time', time: '2026-11-24 11:00:00+00' } })).toBe(newer.id)
    expect(pickedId(records, wal, { target: { kind: 'time', time: '2026-11-24 12:30:00' }, timeZone: 'Europe/Berlin' })).toBe(newer.id)
    const error = refusal(records, wal, { target: { kind: 'time', time: '2026-11-24 09:59:59+00' } })
    expect(error.code).toBe('TIDEMARK_ERR_BACKUP_NO_BACKUP_FOR_TARGET')
    expect(error.message).toContain(`the oldest, ${older.id}, ends at 2026-11-24T10:00:00Z (LSN ${older.endLsn}, timeline 1)`)
  })

  it('picks by end LSN for an LSN target and requires the WAL to reach it', () => {
    expect(pickedId(records, wal, { target: { kind: 'lsn', lsn: lsnIn(5) } })).toBe(older.id)
    expect(pickedId(records, wal, { target: { kind: 'lsn', lsn: lsnIn(9, 0x500) } })).toBe(newer.id)
    const error = refusal(records, wal, { target: { kind: 'lsn', lsn: lsnIn(10) } })
    expect(error.message).toContain(`its WAL reaches ${lsnIn(10, 0)} only, before the target LSN`)
  })

  it('for a restore point or xid picks the newest backup with WAL archived after the segment it ends in', () => {
    expect(pickedId(records, wal, { target: { kind: 'name', name: 'before-upgrade' } })).toBe(newer.id)
    const endsAtTheArchive = walView(segs(1, 2, 7))
    expect(pickedId(records, endsAtTheArchive, { target: { kind: 'xid', xid: '745' } })).toBe(older.id)
  })

  it('looks on the latest timeline: a backup past the branch point of a newer timeline is passed over', () => {
    const branched = walView([...segs(1, 2, 9), ...segs(2, 5, 9)], { 2: history([{ timeline: 1, at: 5 }]) })
    const picked = chooseBackupForTarget(records, branched)
    expect(picked.record.id).toBe(older.id)
    expect(picked.timeline).toBe(2)
    expect(picked.coverage.timelines).toEqual([1, 2])
    expect(picked.passedOver[0]?.reason).toContain('timeline 2 does not descend from its timeline 1')
    expect(pickedId(records, branched, { targetTimeline: 'current' })).toBe(newer.id)
    expect(pickedId(records, branched, { targetTimeline: 1 })).toBe(newer.id)
  })

  it('names a missing history file of the target timeline', () => {
    const error = refusal(records, wal, { targetTimeline: 3 })
    expect(error.message).toContain(`${newer.id}: the archive has no 00000003.history, so recovery from its timeline 1 cannot reach timeline 3`)
  })

  it("passes over another system's backups", () => {
    const foreign = backupRecord('20261124T120000Z-cccccc', 8, 8, '2026-11-24T12:00:00Z', { systemIdentifier: '1' })
    expect(pickedId([foreign, ...records], wal)).toBe(newer.id)
  })

  it('refuses an empty repository', () => {
    expect(refusal([], wal).message).toContain('there is no finished backup')
  })
})
