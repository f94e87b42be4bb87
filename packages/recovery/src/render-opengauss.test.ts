import { describe, expect, it } from 'vitest'
import { parseConf } from './conf-parser.js'
import { RecoveryKeyUnsupportedError } from './errors.js'
import type { RecoverySettings } from './recovery-settings.js'
import { OPENGAUSS_RECOVERY_KEYS, renderOpenGaussRecoveryConf, renderOpenGaussStandbyConf } from './render-opengauss.js'

const HEADER = '# recovery.conf written by tidemark; openGauss reads it at startup and renames it recovery.done\n'

describe('renderOpenGaussRecoveryConf', () => {
  it('writes the reference example keys and nothing else', () => {
    expect(
      renderOpenGaussRecoveryConf({
        restoreCommand: 'cp /mnt/server/archivedir/%f %p',
        archiveCleanupCommand: 'pg_archivecleanup /mnt/server/archivedir %r',
        recoveryEndCommand: 'echo done',
        target: { kind: 'name', name: 'restore_point_1' },
        targetInclusive: true,
        targetTimeline: 'latest',
        pauseAtTarget: true,
      })
    ).toBe(
      HEADER +
        "restore_command = 'cp /mnt/server/archivedir/%f %p'\n" +
        "archive_cleanup_command = 'pg_archivecleanup /mnt/server/archivedir %r'\n" +
        "recovery_end_command = 'echo done'\n" +
        "recovery_target_name = 'restore_point_1'\n" +
        'recovery_target_inclusive = true\n' +
        "recovery_target_timeline = 'latest'\n" +
        'pause_at_recovery_target = true\n'
    )
  })

  it.each<[string, RecoverySettings, string]>([
    ['time', { restoreCommand: 'x', target: { kind: 'time', time: '2020-01-01 12:00:00+08' } }, "recovery_target_time = '2020-01-01 12:00:00+08'"],
    ['xid', { restoreCommand: 'x', target: { kind: 'xid', xid: '3000' } }, "recovery_target_xid = '3000'"],
    ['lsn', { restoreCommand: 'x', target: { kind: 'lsn', lsn: '0/FFFFFF' } }, "recovery_target_lsn = '0/FFFFFF'"],
    ['timeline number', { restoreCommand: 'x', targetTimeline: 2 }, "recovery_target_timeline = '2'"],
    ['promote', { restoreCommand: 'x', pauseAtTarget: false }, 'pause_at_recovery_target = false'],
    ['not inclusive', { restoreCommand: 'x', targetInclusive: false }, 'recovery_target_inclusive = false'],
  ])('writes a %s', (_what, settings, line) => {
    expect(renderOpenGaussRecoveryConf(settings)).toBe(`${HEADER}restore_command = 'x'\n${line}\n`)
  })

  it('leaves out a current timeline (the server default) and writes only what was given', () => {
    expect(renderOpenGaussRecoveryConf({ restoreCommand: 'x', targetTimeline: 'current' })).toBe(`${HEADER}restore_command = 'x'\n`)
  })

  it('never writes a key openGauss does not know, for any combination of settings', () => {
    const text = renderOpenGaussRecoveryConf({
      restoreCommand: 'a',
      archiveCleanupCommand: 'b',
      recoveryEndCommand: 'c',
      target: { kind: 'lsn', lsn: '0/1' },
      targetInclusive: false,
      targetTimeline: 4,
      targetAction: 'shutdown',
      pauseAtTarget: false,
    })
    for (const entry of parseConf(text)) {
      expect(OPENGAUSS_RECOVERY_KEYS).toContain(entry.key)
    }
    expect(text).not.toContain('recovery_target_action')
  })

  it('refuses an immediate target', () => {
    expect(() => renderOpenGaussRecoveryConf({ restoreCommand: 'x', target: { kind: 'immediate' } })).toThrow(
      RecoveryKeyUnsupportedError
    )
  })
})

describe('renderOpenGaussStandbyConf', () => {
  it('writes standby_mode, primary_conninfo and primary_slotname (not primary_slot_name)', () => {
    expect(renderOpenGaussStandbyConf({ primaryConninfo: 'host=10.0.0.1 port=26001', primarySlotName: 'dn_6002' })).toBe(
      HEADER + "standby_mode = on\nprimary_conninfo = 'host=10.0.0.1 port=26001'\nprimary_slotname = 'dn_6002'\n"
    )
  })
})
