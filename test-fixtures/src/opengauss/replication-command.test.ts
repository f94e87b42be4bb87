import { describe, expect, it } from 'vitest'
import { parseReplicationCommand, ReplicationSyntaxError } from './replication-command.js'

describe('parseReplicationCommand', () => {
  it("reads gs_basebackup's plain-mode command with its blank slots", () => {
    expect(parseReplicationCommand("BASE_BACKUP LABEL 'gs_basebackup base backup' PROGRESS   NOWAIT ")).toEqual({
      name: 'BASE_BACKUP',
      options: {
        label: 'gs_basebackup base backup',
        progress: true,
        fast: false,
        wal: false,
        noWait: true,
        tablespaceMap: false,
        buildStandby: false,
      },
    })
  })

  it('reads the tar/fetch command and a label with doubled quotes', () => {
    const command = parseReplicationCommand("BASE_BACKUP LABEL 'it''s' PROGRESS WAL FAST NOWAIT TABLESPACE_MAP")
    expect(command).toMatchObject({ options: { label: "it's", wal: true, fast: true, tablespaceMap: true } })
  })

  it("refuses PostgreSQL 15+'s parenthesised options and unknown keywords", () => {
    expect(() => parseReplicationCommand("BASE_BACKUP (LABEL 'x', PROGRESS)")).toThrow(ReplicationSyntaxError)
    expect(() => parseReplicationCommand("BASE_BACKUP LABEL 'x' MAX_RATE 1024")).toThrow(ReplicationSyntaxError)
    expect(() => parseReplicationCommand("BASE_BACKUP LABEL 'x' MANIFEST 'yes'")).toThrow(ReplicationSyntaxError)
  })

  it('reads START_REPLICATION with and without SLOT and PHYSICAL, and refuses TIMELINE', () => {
    expect(parseReplicationCommand('START_REPLICATION 0/2000000')).toEqual({
      name: 'START_REPLICATION',
      slot: null,
      startLsn: 0x2000000n,
    })
    expect(parseReplicationCommand('START_REPLICATION SLOT s1 PHYSICAL 1/A000000')).toEqual({
      name: 'START_REPLICATION',
      slot: 's1',
      startLsn: 0x1_0a00_0000n,
    })
    expect(() => parseReplicationCommand('START_REPLICATION 0/2000000 TIMELINE 1')).toThrow(ReplicationSyntaxError)
  })

  it('takes upper-case keywords only and downcases an unquoted slot name', () => {
    expect(() => parseReplicationCommand('identify_system')).toThrow(ReplicationSyntaxError)
    expect(() => parseReplicationCommand("BASE_BACKUP label 'x'")).toThrow(ReplicationSyntaxError)
    expect(parseReplicationCommand('START_REPLICATION SLOT MySlot 0/0')).toMatchObject({ slot: 'myslot' })
    expect(parseReplicationCommand('START_REPLICATION SLOT "MySlot" 0/0')).toMatchObject({ slot: 'MySlot' })
  })

  it('knows the IDENTIFY_* commands and refuses PostgreSQL-only ones', () => {
    expect(parseReplicationCommand('IDENTIFY_VERSION')).toEqual({ name: 'IDENTIFY_VERSION' })
    expect(parseReplicationCommand('IDENTIFY_SYSTEM;')).toEqual({ name: 'IDENTIFY_SYSTEM' })
    expect(parseReplicationCommand('IDENTIFY_MAXLSN')).toEqual({ name: 'UNSUPPORTED', keyword: 'IDENTIFY_MAXLSN' })
    for (const command of ['TIMELINE_HISTORY 1', 'READ_REPLICATION_SLOT s', 'SHOW wal_segment_size', 'SELECT 1', '']) {
      expect(() => parseReplicationCommand(command)).toThrow(ReplicationSyntaxError)
    }
  })
})
