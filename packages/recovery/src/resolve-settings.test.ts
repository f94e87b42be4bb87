import { describe, expect, it } from 'vitest'
import {
  RecoveryKeyUnsupportedError,
  RecoveryLsnError,
  RecoveryNameError,
  RecoveryTargetConflictError,
  RecoveryTimeError,
  RecoveryValueError,
  RecoveryXidError,
  RestoreCommandMissingError,
  ServerVersionUnsupportedError,
} from './errors.js'
import { resolveRecoverySettings } from './resolve-settings.js'
import type { ServerKind } from './server-kind.js'

const PG16: ServerKind = { flavor: 'postgresql', major: 16 }
const GAUSS: ServerKind = { flavor: 'opengauss' }
const restore = { restoreCommand: 'cp /wal/%f %p' }

describe('resolveRecoverySettings', () => {
  it('turns each kind of target into the model', () => {
    expect(resolveRecoverySettings({ ...restore, targetName: 'rp1' }, PG16).settings.target).toEqual({ kind: 'name', name: 'rp1' })
    expect(resolveRecoverySettings({ ...restore, targetXid: 1234 }, PG16).settings.target).toEqual({ kind: 'xid', xid: '1234' })
    expect(resolveRecoverySettings({ ...restore, targetLsn: '0/3000028' }, PG16).settings.target).toEqual({
      kind: 'lsn',
      lsn: '0/3000028',
    })
    expect(resolveRecoverySettings({ ...restore, targetImmediate: true }, PG16).settings.target).toEqual({ kind: 'immediate' })
    expect(resolveRecoverySettings({ ...restore }, PG16).settings).toEqual(restore)
  })

  it('reads a time without a zone in the given server zone and says which zone it assumed', () => {
    const resolved = resolveRecoverySettings({ ...restore, targetTime: '2026-01-15 12:00:00' }, PG16, {
      timeZone: 'Europe/Berlin',
    })
    expect(resolved).toEqual({
      settings: { ...restore, target: { kind: 'time', time: '2026-01-15 12:00:00+01' } },
      assumedTimeZone: 'Europe/Berlin',
    })
    const explicit = resolveRecoverySettings({ ...restore, targetTime: '2026-01-15 12:00:00Z' }, PG16, { timeZone: 'Europe/Berlin' })
    expect(explicit.assumedTimeZone).toBeUndefined()
  })

  it('reads the other settings', () => {
    const resolved = resolveRecoverySettings(
      {
        ...restore,
        archiveCleanupCommand: 'pg_archivecleanup /wal %r',
        recoveryEndCommand: 'touch /tmp/done',
        targetName: 'rp1',
        targetInclusive: 'false',
        targetTimeline: '2',
        targetAction: 'promote',
      },
      PG16
    )
    expect(resolved.settings).toEqual({
      ...restore,
      archiveCleanupCommand: 'pg_archivecleanup /wal %r',
      recoveryEndCommand: 'touch /tmp/done',
      target: { kind: 'name', name: 'rp1' },
      targetInclusive: false,
      targetTimeline: 2,
      targetAction: 'promote',
    })
  })

  it('refuses two targets and names them', () => {
    expect(() => resolveRecoverySettings({ ...restore, targetName: 'a', targetXid: '5' }, PG16)).toThrow(
      RecoveryTargetConflictError
    )
    expect(() => resolveRecoverySettings({ ...restore, targetLsn: '0/1', targetImmediate: true }, PG16)).toThrow(
      'give at most one recovery target; got a target LSN and target immediate'
    )
  })

  it('refuses bad target values with their own errors', () => {
    expect(() => resolveRecoverySettings({ ...restore, targetLsn: '12345' }, PG16)).toThrow(RecoveryLsnError)
    expect(() => resolveRecoverySettings({ ...restore, targetTime: 'tomorrow' }, PG16)).toThrow(RecoveryTimeError)
    expect(() => resolveRecoverySettings({ ...restore, targetXid: '-3' }, PG16)).toThrow(RecoveryXidError)
    expect(() => resolveRecoverySettings({ ...restore, targetName: 'x'.repeat(64) }, PG16)).toThrow(RecoveryNameError)
    expect(() => resolveRecoverySettings({ ...restore, targetAction: 'explode' }, PG16)).toThrow(RecoveryValueError)
  })

  it('requires a restore_command for recovery, not for a standby', () => {
    expect(() => resolveRecoverySettings({ targetName: 'a' }, PG16)).toThrow(RestoreCommandMissingError)
    expect(resolveRecoverySettings({}, PG16, { requireRestoreCommand: false }).settings).toEqual({})
  })

  it('refuses PostgreSQL majors it has no rules for', () => {
    expect(() => resolveRecoverySettings(restore, { flavor: 'postgresql', major: 11 })).toThrow(ServerVersionUnsupportedError)
    expect(() => resolveRecoverySettings(restore, { flavor: 'postgresql', major: 19 })).toThrow(/12-18/)
    expect(resolveRecoverySettings(restore, { flavor: 'postgresql', major: 12 }).settings).toEqual(restore)
  })

  it('refuses pause_at_recovery_target on PostgreSQL', () => {
    expect(() => resolveRecoverySettings({ ...restore, pauseAtTarget: true }, PG16)).toThrow(RecoveryKeyUnsupportedError)
  })

  describe('on openGauss', () => {
    it('maps the target action pause/promote to pause_at_recovery_target', () => {
      expect(resolveRecoverySettings({ ...restore, targetAction: 'pause' }, GAUSS).settings.pauseAtTarget).toBe(true)
      expect(resolveRecoverySettings({ ...restore, targetAction: 'promote' }, GAUSS).settings.pauseAtTarget).toBe(false)
      expect(resolveRecoverySettings({ ...restore, pauseAtTarget: 'off' }, GAUSS).settings).toEqual({ ...restore, pauseAtTarget: false })
      expect(resolveRecoverySettings({ ...restore, targetAction: 'pause' }, GAUSS).settings.targetAction).toBeUndefined()
    })

    it('refuses what openGauss does not know', () => {
      expect(() => resolveRecoverySettings({ ...restore, targetAction: 'shutdown' }, GAUSS)).toThrow(RecoveryKeyUnsupportedError)
      expect(() => resolveRecoverySettings({ ...restore, targetImmediate: true }, GAUSS)).toThrow(/no recovery_target = 'immediate'/)
      expect(() => resolveRecoverySettings({ ...restore, targetAction: 'promote', pauseAtTarget: true }, GAUSS)).toThrow(
        RecoveryValueError
      )
    })
  })
})
