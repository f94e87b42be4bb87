import { describe, expect, it } from 'vitest'
import { backupLabelText, baseBackupReply, fullBuildNoticeText } from './base-backup-reply.js'
import type { BaseBackupPlan, BackupLsns } from './base-backup-reply.js'
import { OG_WAL_SEGMENT_SIZE } from './constants.js'
import { sampleDataDirectory } from './data-directory.js'
import { GS_TAR_HEADER_SIZE, decodeGsTarHeader, gsTarPadding } from './gs-tar.js'
import type { BaseBackupOptions } from './replication-command.js'

const lsns: BackupLsns = {
  startLsn: 0x2000028n,
  checkpointLsn: 0x2000060n,
  xlogCopyStartLsn: 0x2000028n,
  endLsn: 0x2000228n,
  slotMinimumLsn: 0n,
  disasterSlotMinimumLsn: 0n,
  logicalSlotMinimumLsn: 0n,
}

const options: BaseBackupOptions = {
  label: 'gs_basebackup base backup',
  progress: true,
  fast: false,
  wal: false,
  noWait: true,
  tablespaceMap: false,
  buildStandby: false,
}

function plan(overrides: Partial<BaseBackupPlan> = {}, backup: Partial<BaseBackupOptions> = {}): BaseBackupPlan {
  return {
    data: sampleDataDirectory(),
    options: { ...options, ...backup },
    isGsBasebackup: true,
    wal: { timeline: 1, systemId: 1n, oldestLsn: 0x2000000n, flushLsn: 0x2300000n },
    lsns,
    noticeStyle: 'v5',
    startTime: '2026-01-01 00:00:00 UTC',
    ...overrides,
  }
}

interface Reply {
  codes: string
  messages: Buffer[]
  streams: Buffer[]
}

function collect(p: BaseBackupPlan): Reply {
  const messages = [...baseBackupReply(p)].map((f) => f.message)
  const streams: Buffer[] = []
  let current: Buffer[] | undefined
  for (const m of messages) {
    const code = String.fromCharCode(m[0] ?? 0)
    if (code === 'H') {
      current = []
    } else if (code === 'd') {
      current?.push(m.subarray(5))
    } else if (code === 'c') {
      streams.push(Buffer.concat(current ?? []))
      current = undefined
    }
  }
  return { codes: messages.map((m) => String.fromCharCode(m[0] ?? 0)).join(''), messages, streams }
}

function tarNames(stream: Buffer): string[] {
  const names: string[] = []
  let offset = 0
  while (offset < stream.length) {
    const header = decodeGsTarHeader(stream.subarray(offset, offset + GS_TAR_HEADER_SIZE))
    names.push(header.name)
    offset += GS_TAR_HEADER_SIZE + header.size + gsTarPadding(header.size)
  }
  expect(offset).toBe(stream.length)
  return names
}

/** The text values of a DataRow message. */
function row(message: Buffer | undefined): (string | null)[] {
  const out: (string | null)[] = []
  if (!message) {
    return out
  }
  let offset = 7
  for (let i = 0; i < message.readUInt16BE(5); i += 1) {
    const length = message.readInt32BE(offset)
    offset += 4
    out.push(length === -1 ? null : message.toString('utf8', offset, offset + length))
    offset += Math.max(length, 0)
  }
  return out
}

describe('baseBackupReply', () => {
  it('answers in the reference order: xloglink, notice, start, header, 2 tablespaces then base, end', () => {
    const { codes } = collect(plan())
    expect(codes).toMatch(/^TDCNTDCTDDDC(Hd+c){3}TDC$/)
  })

  it('sends the xloglink literal, the start LSN in one column, and the header rows with base last', () => {
    const { messages } = collect(plan())
    expect(row(messages[1])).toEqual(['data/pg_xlog'])
    expect(row(messages[5])).toEqual(['0/2000028'])
    expect(messages[4]?.readUInt16BE(5)).toBe(1)
    const [tbsAbs, tbsRel, base] = [row(messages[8]), row(messages[9]), row(messages[10])]
    // 2560 × 3 headers + 16384 bytes = 24064 bytes → 23 kB
    expect(tbsAbs).toEqual(['16400', '/srv/opengauss/tbs_abs', '23', null])
    expect(tbsRel).toEqual(['16410', 'pg_location/tbs_rel', '15', '1'])
    expect(base[0]).toBeNull()
    expect(base[1]).toBeNull()
    expect(base[3]).toBeNull()
  })

  it('sends NULL sizes without PROGRESS', () => {
    const { messages } = collect(plan({}, { progress: false }))
    expect(row(messages[8])[2]).toBeNull()
    expect(row(messages[10])[2]).toBeNull()
  })

  it('puts backup_label first and pg_control last, links in pg_tblspc, and leaves out what the server skips', () => {
    const { streams } = collect(plan())
    const base = tarNames(streams[2] ?? Buffer.alloc(0))
    expect(base[0]).toBe('backup_label')
    expect(base.at(-1)).toBe('global/pg_control')
    expect(base).toContain('pg_tblspc/')
    expect(base.indexOf('pg_tblspc/16400/')).toBe(base.indexOf('pg_tblspc/') + 1)
    expect(base).toContain('pg_xlog/archive_status/')
    expect(base).toContain('pg_errorinfo/')
    expect(base).not.toContain('pg_errorinfo/error.log')
    expect(base).not.toContain('pg_xlog/000000010000000000000001')
    for (const skipped of ['postmaster.pid', 'gaussdb.state', 'global/pg_dw', 'global/pg_dw.build', 'pg_log/', 'pg_location/']) {
      expect(base).not.toContain(skipped)
    }
    expect(base).toContain('postgresql.conf')
    expect(tarNames(streams[0] ?? Buffer.alloc(0))).toEqual([
      'PG_9.2_201611171_dn_6001/',
      'PG_9.2_201611171_dn_6001/16384/',
      'PG_9.2_201611171_dn_6001/16384/16401',
    ])
  })

  it('leaves postgresql.conf and keys out for other application names', () => {
    const base = tarNames(collect(plan({ isGsBasebackup: false })).streams[2] ?? Buffer.alloc(0))
    expect(base).not.toContain('postgresql.conf')
    expect(base).not.toContain('server.key')
  })

  it('sends tablespace_map second and no links with TABLESPACE_MAP', () => {
    const { streams } = collect(plan({}, { tablespaceMap: true }))
    const stream = streams[2] ?? Buffer.alloc(0)
    const base = tarNames(stream)
    expect(base[1]).toBe('tablespace_map')
    expect(base.filter((n) => n.startsWith('pg_tblspc/'))).toEqual(['pg_tblspc/'])
    const map = stream.toString('utf8', 2560 + 512 + 2560, 2560 + 512 + 2560 + 80)
    expect(map.startsWith('16400 /srv/opengauss/tbs_abs\n16410 /var/lib/opengauss/data/pg_location/tbs_rel\n')).toBe(true)
  })

  it('appends each WAL segment and its .done marker to the base stream with WAL', () => {
    const { streams } = collect(plan({}, { wal: true }))
    const base = tarNames(streams[2] ?? Buffer.alloc(0))
    expect(base.slice(-2)).toEqual([
      'pg_xlog/000000010000000000000002',
      'pg_xlog/archive_status/000000010000000000000002.done',
    ])
    const sizes = (streams[2]?.length ?? 0) - (collect(plan()).streams[2]?.length ?? 0)
    expect(sizes).toBe(2560 + OG_WAL_SEGMENT_SIZE + 2560)
  })

  it('ends the WAL range with the segment holding the byte before the end LSN', () => {
    const atBoundary = collect(plan({ lsns: { ...lsns, endLsn: 0x3000000n } }, { wal: true }))
    const names = tarNames(atBoundary.streams[2] ?? Buffer.alloc(0)).filter((n) => /^pg_xlog\/0/.test(n))
    expect(names).toEqual(['pg_xlog/000000010000000000000002'])
  })

  it('sends history files after pg_control, and fails the WAL option when pg_xlog holds one', () => {
    const sample = sampleDataDirectory()
    const data = {
      ...sample,
      entries: [...sample.entries, { kind: 'file' as const, path: 'pg_xlog/00000002.history', content: '1\t0/3000000\tno recovery target specified\n' }],
    }
    const wal = { timeline: 2, systemId: 1n, oldestLsn: 0x2000000n, flushLsn: 0x2300000n }
    const plainReply = collect(plan({ data, wal }))
    expect(tarNames(plainReply.streams[2] ?? Buffer.alloc(0)).slice(-2)).toEqual(['global/pg_control', 'pg_xlog/00000002.history'])
    const frames = [...baseBackupReply(plan({ data, wal }, { wal: true }))]
    const last = frames.at(-1)
    expect(last?.fatal).toBe(true)
    expect(last?.message.toString('latin1')).toContain('could not stat file "/00000002.history"')
  })

  it('sends a symlinked pg_xlog as its link, twice, with the target in the xloglink result', () => {
    const data = { ...sampleDataDirectory(), xlogLinkTarget: '/wal/pg_xlog' }
    const { messages, streams } = collect(plan({ data }))
    expect(row(messages[1])).toEqual(['/wal/pg_xlog'])
    const base = tarNames(streams[2] ?? Buffer.alloc(0))
    expect(base.filter((n) => n.startsWith('pg_xlog'))).toEqual(['pg_xlog/', 'pg_xlog/'])
  })
})

describe('backup texts', () => {
  it('writes backup_label as openGauss does (no START TIMELINE)', () => {
    expect(backupLabelText(plan())).toBe(
      'START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n' +
        'CHECKPOINT LOCATION: 0/2000060\n' +
        'BACKUP METHOD: streamed\n' +
        'BACKUP FROM: master\n' +
        'START TIME: 2026-01-01 00:00:00 UTC\n' +
        'LABEL: gs_basebackup base backup\n'
    )
  })

  it('writes the full-build notice in the v5 and legacy forms', () => {
    expect(fullBuildNoticeText(lsns, 'legacy')).toBe(
      'The starting position of the xlog copy of the full build is: 0/2000028. The slot minimum LSN is: 0/0.'
    )
    expect(fullBuildNoticeText(lsns, 'v5')).toBe(
      'The starting position of the xlog copy of the full build is: 0/2000028. The slot minimum LSN is: 0/0. ' +
        'The disaster slot minimum LSN is: 0/0. The logical slot minimum LSN is: 0/0.'
    )
  })
})
