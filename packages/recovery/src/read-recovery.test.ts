import { describe, expect, it } from 'vitest'
import { RecoveryKeyUnsupportedError, RecoveryTargetConflictError } from './errors.js'
import { readOpenGaussRecovery, readPostgresRecovery } from './read-recovery.js'
import { planRecoveryFiles, planStandbyFiles } from './recovery-files.js'
import type { RecoverySettings } from './recovery-settings.js'
import { renderOpenGaussRecoveryConf, renderOpenGaussStandbyConf } from './render-opengauss.js'
import { POSTGRES_RECOVERY_DEFAULTS } from './render-postgres.js'

const PG15 = { flavor: 'postgresql', major: 15 } as const

const CASES: Array<[string, RecoverySettings]> = [
  ['no target', { restoreCommand: 'cp /wal/%f %p' }],
  ['a name', { restoreCommand: "'/a b/wal' get %f %p", target: { kind: 'name', name: "it's" }, targetAction: 'promote' }],
  [
    'a time, not inclusive, timeline 2',
    {
      restoreCommand: 'x',
      archiveCleanupCommand: 'pg_archivecleanup /w %r',
      recoveryEndCommand: 'echo \\done',
      target: { kind: 'time', time: '2026-01-15 12:00:00+01' },
      targetInclusive: false,
      targetTimeline: 2,
    },
  ],
  ['an xid', { restoreCommand: 'x', target: { kind: 'xid', xid: '745' }, targetTimeline: 'current', targetAction: 'shutdown' }],
  ['an lsn', { restoreCommand: 'x', target: { kind: 'lsn', lsn: '0/3000028' } }],
  ['immediate', { restoreCommand: 'x', target: { kind: 'immediate' } }],
]

describe('readPostgresRecovery', () => {
  it.each(CASES)('reads back what was rendered: %s (defaults filled in)', (_what, settings) => {
    const [autoConf] = planRecoveryFiles(PG15, settings, { autoConf: "work_mem = '7MB'\n" })
    const read = readPostgresRecovery({ autoConf: autoConf?.content ?? '' })
    expect(read).toEqual({ settings: { ...POSTGRES_RECOVERY_DEFAULTS, ...settings }, warnings: [] })
  })

  it('lets the managed block win over recovery settings elsewhere', () => {
    const [autoConf] = planRecoveryFiles(PG15, { restoreCommand: 'new', target: { kind: 'name', name: 'rp' } }, {
      autoConf: "recovery_target_xid = '5'\nrestore_command = 'old'\nrecovery_target_action = 'shutdown'\n",
    })
    const read = readPostgresRecovery({ postgresqlConf: "recovery_target_lsn = '0/1'\n", autoConf: autoConf?.content ?? '' })
    expect(read.settings).toEqual({ ...POSTGRES_RECOVERY_DEFAULTS, restoreCommand: 'new', target: { kind: 'name', name: 'rp' } })
  })

  it('refuses two targets set, as the server does', () => {
    expect(() => readPostgresRecovery({ postgresqlConf: "recovery_target_xid = '5'\n", autoConf: "recovery_target_name = 'a'\n" })).toThrow(
      RecoveryTargetConflictError
    )
  })

  it('reads a standby configuration', () => {
    const [autoConf] = planStandbyFiles(PG15, { primaryConninfo: 'host=a user=rep', primarySlotName: 's1' }, {})
    expect(readPostgresRecovery({ autoConf: autoConf?.content ?? '' })).toEqual({
      settings: {},
      standby: { primaryConninfo: 'host=a user=rep', primarySlotName: 's1' },
      warnings: [],
    })
  })
})

describe('readOpenGaussRecovery', () => {
  it.each(CASES.filter(([what]) => what !== 'immediate'))('reads back what was rendered: %s', (_what, settings) => {
    const { targetAction, ...rest } = settings
    const gauss: RecoverySettings = targetAction === 'promote' ? { ...rest, pauseAtTarget: false } : rest
    const expected: RecoverySettings =
      gauss.targetTimeline === 'current' ? (({ targetTimeline: _omit, ...other }) => other)(gauss) : gauss
    expect(readOpenGaussRecovery(renderOpenGaussRecoveryConf(gauss))).toEqual({ settings: expected, warnings: [] })
  })

  it('refuses a key openGauss does not know, since the server would not start', () => {
    expect(() => readOpenGaussRecovery("restore_command = 'x'\nrecovery_target_action = 'promote'\n")).toThrow(
      RecoveryKeyUnsupportedError
    )
    expect(() => readOpenGaussRecovery("primary_slot_name = 'x'\n")).toThrow(/line 1: openGauss does not know "primary_slot_name"/)
  })

  it('resolves several targets as openGauss does, xid first, and warns', () => {
    const read = readOpenGaussRecovery(
      "restore_command = 'x'\nrecovery_target_lsn = '0/1'\nrecovery_target_time = '2020-01-01 00:00:00+00'\nrecovery_target_name = 'n'\n"
    )
    expect(read.settings.target).toEqual({ kind: 'name', name: 'n' })
    expect(read.warnings).toEqual([
      'recovery.conf sets recovery_target_name, recovery_target_time, recovery_target_lsn; openGauss uses recovery_target_name and ignores the others',
    ])
  })

  it('reads a standby configuration', () => {
    expect(readOpenGaussRecovery(renderOpenGaussStandbyConf({ primaryConninfo: 'host=a', primarySlotName: 'dn1' }))).toEqual({
      settings: {},
      standby: { primaryConninfo: 'host=a', primarySlotName: 'dn1' },
      warnings: [],
    })
  })
})
