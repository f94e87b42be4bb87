import { describe, expect, it } from 'vitest'
import { parseConf } from './conf-parser.js'
import { portLines, postgresRecoveryLines, postgresStandbyLines } from './render-postgres.js'

describe('postgresRecoveryLines', () => {
  it('sets every recovery key: the unused targets empty before the chosen one, the rest to defaults', () => {
    expect(postgresRecoveryLines({ restoreCommand: 'cp /wal/%f %p', target: { kind: 'name', name: 'rp1' } })).toEqual([
      "restore_command = 'cp /wal/%f %p'",
      "archive_cleanup_command = ''",
      "recovery_end_command = ''",
      "recovery_target = ''",
      "recovery_target_lsn = ''",
      "recovery_target_time = ''",
      "recovery_target_xid = ''",
      "recovery_target_name = 'rp1'",
      "recovery_target_inclusive = 'on'",
      "recovery_target_timeline = 'latest'",
      "recovery_target_action = 'pause'",
    ])
  })

  it('writes the given settings, quoted for the server file parser', () => {
    expect(
      postgresRecoveryLines({
        restoreCommand: `'/opt/my tools/tidemark-wal' get --repo 'C:\\it'\\''s' %f %p`,
        archiveCleanupCommand: 'pg_archivecleanup /wal %r',
        recoveryEndCommand: 'echo done',
        target: { kind: 'time', time: '2026-01-15 12:00:00+01' },
        targetInclusive: false,
        targetTimeline: 3,
        targetAction: 'promote',
      })
    ).toEqual([
      `restore_command = '''/opt/my tools/tidemark-wal'' get --repo ''C:\\\\it''\\\\''''s'' %f %p'`,
      "archive_cleanup_command = 'pg_archivecleanup /wal %r'",
      "recovery_end_command = 'echo done'",
      "recovery_target = ''",
      "recovery_target_lsn = ''",
      "recovery_target_name = ''",
      "recovery_target_xid = ''",
      "recovery_target_time = '2026-01-15 12:00:00+01'",
      "recovery_target_inclusive = 'off'",
      "recovery_target_timeline = '3'",
      "recovery_target_action = 'promote'",
    ])
  })

  it('writes immediate, xid and lsn targets, and no target at all', () => {
    const targetLine = (lines: string[]): string | undefined => lines.filter((line) => !line.endsWith("''"))[1]
    expect(targetLine(postgresRecoveryLines({ restoreCommand: 'x', target: { kind: 'immediate' } }))).toBe(
      "recovery_target = 'immediate'"
    )
    expect(targetLine(postgresRecoveryLines({ restoreCommand: 'x', target: { kind: 'xid', xid: '745' } }))).toBe(
      "recovery_target_xid = '745'"
    )
    expect(targetLine(postgresRecoveryLines({ restoreCommand: 'x', target: { kind: 'lsn', lsn: '0/3000028' } }))).toBe(
      "recovery_target_lsn = '0/3000028'"
    )
    const none = postgresRecoveryLines({ restoreCommand: 'x' })
    expect(none.filter((line) => line.startsWith('recovery_target') && line.endsWith("= ''"))).toHaveLength(5)
  })

  it('round-trips the restore command through the configuration-file parser', () => {
    const command = `'/opt/a b/wal' get --repo '/srv/it'\\''s \\ here' %f %p`
    const lines = postgresRecoveryLines({ restoreCommand: command })
    expect(parseConf(lines.join('\n'))[0]).toEqual({ key: 'restore_command', value: command, line: 1 })
  })
})

describe('postgresStandbyLines and portLines', () => {
  it('write primary_conninfo, primary_slot_name and restore_command when given', () => {
    expect(postgresStandbyLines({ primaryConninfo: "host=10.0.0.1 port=5432 user=rep password='s3''cret'" })).toEqual([
      "primary_conninfo = 'host=10.0.0.1 port=5432 user=rep password=''s3''''cret'''",
    ])
    expect(postgresStandbyLines({ primaryConninfo: 'host=a', primarySlotName: 'standby_1', restoreCommand: 'cp %f %p' })).toEqual([
      "primary_conninfo = 'host=a'",
      "primary_slot_name = 'standby_1'",
      "restore_command = 'cp %f %p'",
    ])
    expect(portLines(5433)).toEqual(["port = '5433'"])
  })
})
