import { describe, expect, it } from 'vitest'
import { backupRecordOf, compressionLabel } from './basebackup-repository.js'
import type { BaseBackupResult } from './basebackup-options.js'
import { formatBackupRecord, parseBackupRecord } from './catalog/backup-record.js'

const result: BaseBackupResult = {
  targetDir: '/r/backups/20261124T180000Z-abcdef',
  format: 'tar',
  label: 'nightly',
  flavor: 'postgresql',
  serverMajor: 16,
  systemIdentifier: '7311937342174040106',
  timeline: 1,
  startLsn: '0/2000028',
  endLsn: '0/2000100',
  startTime: new Date('2026-11-24T18:00:00Z'),
  endTime: new Date('2026-11-24T18:00:05Z'),
  bytes: 4096,
  files: ['base.tar.gz', 'pg_wal.tar.gz', 'backup_manifest'],
  segmentSize: 16 * 1024 * 1024,
}

describe('backupRecordOf', () => {
  it('labels compression as method[:level], server-side with its prefix, none as none', () => {
    expect(compressionLabel({ method: 'none', location: 'client', level: undefined })).toBe('none')
    expect(compressionLabel({ method: 'gzip', location: 'client', level: 5 })).toBe('gzip:5')
    expect(compressionLabel({ method: 'zstd', location: 'server', level: undefined })).toBe('server-zstd')
  })

  it('makes a record that survives backup.json with its segment size, WAL method and files', () => {
    const record = backupRecordOf('20261124T180000Z-abcdef', result, { method: 'gzip', location: 'client', level: 5 }, 'stream')
    expect(record).toMatchObject({ format: 'tar', compression: 'gzip:5', startTime: '2026-11-24T18:00:00.000Z', verified: false })
    expect(parseBackupRecord(formatBackupRecord(record), 'backup.json')).toEqual(record)
  })

  it('refuses a record whose files are not a list of names', () => {
    const text = formatBackupRecord(backupRecordOf('20261124T180000Z-abcdef', result, { method: 'none', location: 'client', level: undefined }, 'fetch')).replace(
      /"files": \[[^\]]*\]/,
      '"files": "base.tar"'
    )
    expect(() => parseBackupRecord(text, 'backup.json')).toThrow(/backup.json: files is missing or invalid/)
  })
})
