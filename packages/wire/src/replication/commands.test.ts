import { describe, expect, it } from 'vitest'
import { UnsupportedFeatureError } from '../errors.js'
import type { ServerInfo } from '../server-info.js'
import { baseBackupCommand } from './base-backup-command.js'
import { createSlotCommand, dropSlotCommand, parseIdentifySystem, readSlotCommand, timelineHistoryCommand } from './commands.js'
import { startReplicationCommand } from './wal-stream.js'

const pg = (major: number): ServerInfo => ({ flavor: 'postgresql', major, version: `${major}.1`, protocolMinor: 0 })
const og: ServerInfo = { flavor: 'opengauss', major: 9, version: '9.2.4', protocolMinor: 51 }

describe('replication command text', () => {
  it('builds CREATE_REPLICATION_SLOT for PostgreSQL 13-14, 15+ and openGauss', () => {
    expect(createSlotCommand(pg(14), 's', { temporary: true, reserveWal: true })).toBe('CREATE_REPLICATION_SLOT "s" TEMPORARY PHYSICAL RESERVE_WAL')
    expect(createSlotCommand(pg(15), 's', { reserveWal: true })).toBe('CREATE_REPLICATION_SLOT "s" PHYSICAL (RESERVE_WAL)')
    expect(createSlotCommand(pg(18), 'a"b', {})).toBe('CREATE_REPLICATION_SLOT "a""b" PHYSICAL')
    expect(createSlotCommand(og, 's', { startLsn: 0x2000000n })).toBe('CREATE_REPLICATION_SLOT "s" PHYSICAL 0/2000000')
    expect(() => createSlotCommand(og, 's', { temporary: true, startLsn: 1n })).toThrow(UnsupportedFeatureError)
    expect(dropSlotCommand('s', true)).toBe('DROP_REPLICATION_SLOT "s" WAIT')
  })

  it('refuses commands a dialect lacks', () => {
    expect(() => readSlotCommand(pg(14), 's')).toThrow(UnsupportedFeatureError)
    expect(readSlotCommand(pg(15), 's')).toBe('READ_REPLICATION_SLOT "s"')
    expect(() => timelineHistoryCommand(og, 2)).toThrow(UnsupportedFeatureError)
    expect(timelineHistoryCommand(pg(13), 3)).toBe('TIMELINE_HISTORY 3')
  })

  it('builds START_REPLICATION with slot and timeline, and without TIMELINE on openGauss', () => {
    expect(startReplicationCommand(pg(16), { startLsn: 0x1_0000_0000n, timeline: 2, slot: 'x' })).toBe('START_REPLICATION SLOT "x" PHYSICAL 1/0 TIMELINE 2')
    expect(startReplicationCommand(og, { startLsn: 0x2000000n })).toBe('START_REPLICATION 0/2000000')
    expect(() => startReplicationCommand(og, { startLsn: 1n, timeline: 1 })).toThrow(UnsupportedFeatureError)
  })

  it('builds BASE_BACKUP in the legacy, parenthesised and openGauss syntaxes', () => {
    const options = { label: "a'b", fastCheckpoint: true, includeWal: true, waitForWalArchive: false, maxRateKbPerSecond: 1024, tablespaceMap: true, verifyChecksums: false, manifest: 'yes', manifestChecksums: 'SHA256' } as const
    expect(baseBackupCommand(pg(13), options)).toBe(
      `BASE_BACKUP LABEL 'a''b' PROGRESS FAST WAL NOWAIT MAX_RATE 1024 TABLESPACE_MAP NOVERIFY_CHECKSUMS MANIFEST 'yes' MANIFEST_CHECKSUMS 'SHA256'`
    )
    expect(baseBackupCommand(pg(15), { ...options, compression: { method: 'gzip', detail: 'level=5' } })).toBe(
      `BASE_BACKUP (LABEL 'a''b', PROGRESS, CHECKPOINT 'fast', WAL, WAIT false, MAX_RATE 1024, TABLESPACE_MAP, VERIFY_CHECKSUMS false, MANIFEST 'yes', MANIFEST_CHECKSUMS 'SHA256', COMPRESSION 'gzip', COMPRESSION_DETAIL 'level=5')`
    )
    expect(baseBackupCommand(og, { fastCheckpoint: true, includeWal: true, tablespaceMap: true })).toBe(
      `BASE_BACKUP LABEL 'tidemark base backup' PROGRESS WAL FAST NOWAIT TABLESPACE_MAP`
    )
    expect(() => baseBackupCommand(pg(14), { compression: { method: 'lz4' } })).toThrow(UnsupportedFeatureError)
    expect(() => baseBackupCommand(og, { manifest: 'yes' })).toThrow(UnsupportedFeatureError)
    expect(() => baseBackupCommand(pg(16), { maxRateKbPerSecond: 5 })).toThrow(UnsupportedFeatureError)
  })

  it('parses IDENTIFY_SYSTEM by column name', () => {
    const fields = ['systemid', 'timeline', 'xlogpos', 'dbname'].map((name) => ({ name, dataTypeId: 25 }))
    expect(parseIdentifySystem([{ command: 'IDENTIFY_SYSTEM', fields, rows: [['7301234567890123456', '3', '16/B374D848', null]] }]))
      .toEqual({ systemId: '7301234567890123456', timeline: 3, xlogPos: 0x16_B374D848n, dbName: null })
  })
})
