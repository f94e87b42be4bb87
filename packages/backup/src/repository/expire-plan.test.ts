import { describe, expect, it } from 'vitest'
import { BackupUsageError, ExpireRefusedError } from '../errors.js'
import { backupRecord, seg, segs, SEGMENT_SIZE, SYSTEM } from '../testing/synthetic-catalog.js'
import { checkRetentionPolicy, keptBackups, planExpire, type ExpirePlanInput } from './expire-plan.js'

const a = backupRecord('20261120T100000Z-aaaaaa', 2, 3, '2026-11-20T10:00:00Z')
const b = backupRecord('20261122T100000Z-bbbbbb', 6, 7, '2026-11-22T10:00:00Z')
const c = backupRecord('20261124T100000Z-cccccc', 10, 11, '2026-11-24T10:00:00Z')
const now = new Date('2026-11-24T12:00:00Z')

function input(overrides: Partial<ExpirePlanInput> = {}): ExpirePlanInput {
  return {
    records: [c, a, b],
    unfinished: [],
    walNames: [
      ...segs(1, 1, 12),
      `${seg(1, 2)}.00000028.backup`,
      `${seg(1, 6)}.00000028.backup`,
      `${seg(1, 10)}.00000028.backup`,
      '00000002.history',
      `${seg(1, 4)}.partial`,
      ...segs(2, 4, 5),
    ],
    segmentSize: SEGMENT_SIZE,
    walSystemIdentifier: SYSTEM,
    policy: { retainFull: 1 },
    now,
    ...overrides,
  }
}

describe('checkRetentionPolicy', () => {
  it('takes exactly one of --retain-full (1 or more) and --retain-days (above 0)', () => {
    expect(checkRetentionPolicy(2, undefined)).toEqual({ retainFull: 2 })
    expect(checkRetentionPolicy(undefined, 1.5)).toEqual({ retainDays: 1.5 })
    expect(() => checkRetentionPolicy(0, undefined)).toThrow(/keep at least 1 backup/)
    expect(() => checkRetentionPolicy(1.5, undefined)).toThrow(BackupUsageError)
    expect(() => checkRetentionPolicy(undefined, 0)).toThrow(BackupUsageError)
    expect(() => checkRetentionPolicy(1, 1)).toThrow(/exactly one/)
    expect(() => checkRetentionPolicy(undefined, undefined)).toThrow(/exactly one/)
  })
})

describe('keptBackups', () => {
  it('keeps the newest N', () => {
    expect([...keptBackups([a, b, c], { retainFull: 2 }, now)].sort()).toEqual([b.id, c.id])
    expect([...keptBackups([a, b, c], { retainFull: 5 }, now)].sort()).toEqual([a.id, b.id, c.id])
  })

  it('keeps what the last D days need: those ended inside and the newest ended before', () => {
    expect([...keptBackups([a, b, c], { retainDays: 1 }, now)].sort()).toEqual([b.id, c.id])
    expect([...keptBackups([a, b, c], { retainDays: 3 }, now)].sort()).toEqual([a.id, b.id, c.id])
    expect([...keptBackups([a, b, c], { retainDays: 0.01 }, now)]).toEqual([c.id])
  })
})

describe('planExpire', () => {
  it('removes older backups and only the WAL before the oldest kept start, keeping histories and later timelines', () => {
    const plan = planExpire(input())
    expect(plan.kept.map((record) => record.id)).toEqual([c.id])
    expect(plan.expired.map((record) => record.id)).toEqual([a.id, b.id])
    expect(plan.walKeptFrom).toBe(seg(1, 10))
    expect(plan.walRemoved).toEqual(
      [
        ...segs(1, 1, 9),
        `${seg(1, 2)}.00000028.backup`,
        `${seg(1, 6)}.00000028.backup`,
        `${seg(1, 4)}.partial`,
        ...segs(2, 4, 5),
      ].sort()
    )
  })

  it('keeps WAL from the lowest start LSN of any kept backup', () => {
    const plan = planExpire(input({ policy: { retainFull: 2 } }))
    expect(plan.walKeptFrom).toBe(seg(1, 6))
    expect(plan.walRemoved).toEqual([...segs(1, 1, 5), `${seg(1, 2)}.00000028.backup`, `${seg(1, 4)}.partial`, ...segs(2, 4, 5)].sort())
  })

  it('keeps WAL of a later timeline a kept backup on it starts in', () => {
    const onTwo = backupRecord('20261124T110000Z-dddddd', 4, 5, '2026-11-24T11:00:00Z', { timeline: 2 })
    const plan = planExpire(input({ records: [a, b, c, onTwo], policy: { retainFull: 2 } }))
    expect(plan.kept.map((record) => record.id)).toEqual([c.id, onTwo.id])
    expect(plan.walKeptFrom).toBe(seg(2, 4))
    expect(plan.walRemoved).toEqual([...segs(1, 1, 3), `${seg(1, 2)}.00000028.backup`].sort())
  })

  it('removes no WAL when no kept backup belongs to the WAL of the repository', () => {
    expect(planExpire(input({ walSystemIdentifier: '1', records: [a, b, { ...c, walMethod: 'stream' }] })).walRemoved).toEqual([])
    expect(planExpire(input({ records: [] })).walRemoved).toEqual([])
  })

  it('leaves an unfinished backup alone during the grace period and removes it after', () => {
    const running = { id: '20261124T113000Z-eeeeee', bytes: 5, lastActivity: new Date('2026-11-24T11:59:00Z') }
    const dead = { id: '20261120T090000Z-ffffff', bytes: 7, lastActivity: new Date('2026-11-20T09:05:00Z') }
    const plan = planExpire(input({ unfinished: [running, dead] }))
    expect(plan.unfinishedKept).toEqual([running])
    expect(plan.unfinishedRemoved).toEqual([dead])
    expect(planExpire(input({ unfinished: [running], unfinishedGraceMs: 30_000 })).unfinishedRemoved).toEqual([running])
  })

  it('refuses to remove backups when none of those kept can be restored, unless one holds its own WAL', () => {
    const broken = input({ walNames: [...segs(1, 1, 9), ...segs(1, 12, 12)] })
    expect(() => planExpire(broken)).toThrow(ExpireRefusedError)
    expect(() => planExpire(broken)).toThrow(`${c.id}: WAL is missing from ${seg(1, 10)} and it holds none of its own`)
    expect(planExpire({ ...broken, policy: { retainFull: 2 } }).expired.map((record) => record.id)).toEqual([a.id])
    const streamed = { ...c, walMethod: 'stream' }
    expect(planExpire({ ...broken, records: [a, b, streamed] }).kept).toEqual([streamed])
    expect(() => planExpire(input({ walSystemIdentifier: '1' }))).toThrow(/the archive is of database system 1/)
  })
})
