import { describe, expect, it } from 'vitest'
import { WalPageError } from './errors.js'
import { parseLsn } from './lsn.js'
import {
  OPENGAUSS_WAL_PAGE_MAGIC,
  POSTGRESQL_WAL_PAGE_MAGIC,
  readSegmentHeader,
  readWalPageHeader,
  walFormatOfMagic,
  walkWalPages,
  XLP_LONG_HEADER,
} from './page-header.js'
import {
  CURRENT_SEGMENT_NAME,
  FIXTURE_SEGMENT_SIZE,
  FIXTURE_SYSTEM_IDENTIFIER,
  FULL_SEGMENT_NAME,
  fixtureSegment,
} from './testing/fixtures.js'

describe('page-header', () => {
  it('reads the long header of a real PostgreSQL 16 segment', () => {
    const bytes = fixtureSegment(FULL_SEGMENT_NAME)
    const header = readWalPageHeader(bytes)
    expect(header.magic).toBe(POSTGRESQL_WAL_PAGE_MAGIC[16])
    expect(header.info & XLP_LONG_HEADER).toBe(XLP_LONG_HEADER)
    expect(header.timeline).toBe(1)
    expect(header.pageAddress).toBe(parseLsn('0/300000'))
    expect(header.headerSize).toBe(40)
    expect(header.long).toEqual({ systemIdentifier: FIXTURE_SYSTEM_IDENTIFIER, segmentSize: FIXTURE_SEGMENT_SIZE, blockSize: 8192 })
    const second = readWalPageHeader(bytes, 8192)
    expect(second.long).toBeUndefined()
    expect(second.pageAddress).toBe(parseLsn('0/302000'))
    expect(second.headerSize).toBe(24)
  })

  it('checks a segment against its name and walks its pages', () => {
    const full = fixtureSegment(FULL_SEGMENT_NAME)
    const segment = readSegmentHeader(full, { fileName: FULL_SEGMENT_NAME, segmentSize: FIXTURE_SEGMENT_SIZE })
    expect(segment.format).toEqual({ flavor: 'postgresql', major: 16 })
    expect(segment.systemIdentifier).toBe(FIXTURE_SYSTEM_IDENTIFIER)
    expect(walkWalPages(full, { fileName: FULL_SEGMENT_NAME })).toEqual({ pages: 128, endedAtZeroPage: false })
    const current = fixtureSegment(CURRENT_SEGMENT_NAME)
    expect(walkWalPages(current, { fileName: CURRENT_SEGMENT_NAME })).toEqual({ pages: 111, endedAtZeroPage: true })
    expect(readSegmentHeader(full, { fileName: `${FULL_SEGMENT_NAME}.partial` }).segmentSize).toBe(FIXTURE_SEGMENT_SIZE)
  })

  it('refuses a segment under another name, size or timeline', () => {
    const full = fixtureSegment(FULL_SEGMENT_NAME)
    expect(() => readSegmentHeader(full, { fileName: '000000010000000000000004' })).toThrow(/holds WAL from 0\/300000/)
    expect(() => readSegmentHeader(full, { segmentSize: 16 * 1024 * 1024 })).toThrow(WalPageError)
    const onTimeline2 = Buffer.from(full)
    onTimeline2.writeUInt32LE(2, 4)
    expect(() => readSegmentHeader(onTimeline2, { fileName: FULL_SEGMENT_NAME })).toThrow(/timeline 2/)
    expect(readSegmentHeader(full, { fileName: '000000020000000000000003' }).header.timeline).toBe(1)
  })

  it('refuses damaged headers: short, empty, not long, bad sizes, broken page chain', () => {
    const full = fixtureSegment(FULL_SEGMENT_NAME)
    expect(() => readWalPageHeader(full.subarray(0, 23))).toThrow(WalPageError)
    expect(() => readWalPageHeader(full.subarray(0, 39))).toThrow(/long WAL page header needs 40/)
    expect(() => readSegmentHeader(Buffer.alloc(8192))).toThrow(/empty page/)
    const damaged = (edit: (b: Buffer) => void): Buffer => {
      const copy = Buffer.from(full)
      edit(copy)
      return copy
    }
    expect(() => readSegmentHeader(damaged((b) => b.writeUInt16LE(0x0005, 2)))).toThrow(/long WAL page header/)
    expect(() => readSegmentHeader(damaged((b) => b.writeUInt16LE(0x0102, 2)))).toThrow(/unknown page flags/)
    expect(() => readSegmentHeader(damaged((b) => b.writeUInt32LE(3 * 1024 * 1024, 32)))).toThrow(/segment size/)
    expect(() => readSegmentHeader(damaged((b) => b.writeUInt32LE(1000, 36)))).toThrow(/page size/)
    expect(() => readSegmentHeader(damaged((b) => b.writeBigUInt64LE(0x300100n, 8)))).toThrow(/not at a segment start/)
    expect(() => readSegmentHeader(damaged((b) => b.writeUInt16LE(0xd999, 0)), { allowUnknownMagic: false })).toThrow(/unknown WAL page magic/)
    expect(readSegmentHeader(damaged((b) => b.writeUInt16LE(0xd999, 0))).format).toBeUndefined()
    expect(() => walkWalPages(damaged((b) => b.writeBigUInt64LE(0x0n + 0x304000n, 8192 * 5 + 8)))).toThrow(/page 5 is at 0\/304000/)
    expect(() => walkWalPages(damaged((b) => b.writeUInt16LE(0xd110, 8192 * 7)))).toThrow(/page 7 has magic/)
    expect(() => walkWalPages(damaged((b) => b.writeUInt16LE(0x0007, 8192 * 9 + 2)))).toThrow(/page 9 has a long header/)
    expect(() => walkWalPages(damaged((b) => b.writeUInt32LE(0, 8192 * 3 + 4)))).toThrow(/page 3 goes back/)
  })

  it('knows the magic of every supported major and of openGauss', () => {
    expect(Object.keys(POSTGRESQL_WAL_PAGE_MAGIC)).toEqual(['13', '14', '15', '16', '17', '18'])
    expect(new Set(Object.values(POSTGRESQL_WAL_PAGE_MAGIC)).size).toBe(6)
    for (const [major, magic] of Object.entries(POSTGRESQL_WAL_PAGE_MAGIC)) {
      expect(walFormatOfMagic(magic)).toEqual({ flavor: 'postgresql', major: Number(major) })
    }
    expect(walFormatOfMagic(OPENGAUSS_WAL_PAGE_MAGIC)).toEqual({ flavor: 'opengauss' })
    expect(walFormatOfMagic(0xd101)).toBeUndefined()
  })
})
