// WAL page headers (XLogPageHeaderData / XLogLongPageHeaderData of xlog_internal.h). WAL is written in
// the server's native byte order; this reads little-endian, the order of every x86-64 and ARM64 server.
//
//   offset  size  field
//   0       2     xlp_magic       WAL format version (per major; openGauss has its own)
//   2       2     xlp_info        XLP_* flags
//   4       4     xlp_tli         timeline of the page's first record
//   8       8     xlp_pageaddr    LSN of the page's first byte
//   16      4     xlp_rem_len     bytes of a record continued from the previous page
//   20      4     padding (PostgreSQL) / xlp_total_len (openGauss)   -> short header: 24 bytes
//   24      8     xlp_sysid       long header only: the database system identifier
//   32      4     xlp_seg_size    long header only: wal_segment_size
//   36      4     xlp_xlog_blcksz long header only: WAL page size              -> long header: 40 bytes
import { WalPageError } from './errors.js'
import { formatLsn, type Lsn } from './lsn.js'
import { isValidSegmentSize } from './segment-size.js'
import { parseSegmentFileName, segmentStartLsn } from './segment.js'
import type { WalFlavor } from './wal-flavor.js'

const MAGIC = 0
const INFO = 2
const TLI = 4
const PAGE_ADDRESS = 8
const REM_LEN = 16
const SYSID = 24
const SEG_SIZE = 32
const BLCKSZ = 36
export const SHORT_PAGE_HEADER_SIZE = 24
export const LONG_PAGE_HEADER_SIZE = 40

/** xlp_info flags. */
export const XLP_FIRST_IS_CONTRECORD = 0x0001
export const XLP_LONG_HEADER = 0x0002
export const XLP_BKP_REMOVABLE = 0x0004
export const XLP_FIRST_IS_OVERWRITE_CONTRECORD = 0x0008
export const XLP_ALL_FLAGS = 0x000f

/** XLOG_PAGE_MAGIC of each supported PostgreSQL major (src/include/access/xlog_internal.h). */
export const POSTGRESQL_WAL_PAGE_MAGIC: Readonly<Record<13 | 14 | 15 | 16 | 17 | 18, number>> = Object.freeze({
  13: 0xd106,
  14: 0xd10d,
  15: 0xd110,
  16: 0xd113,
  17: 0xd116,
  18: 0xd118,
})

/** XLOG_PAGE_MAGIC of openGauss / MogDB (src/include/access/xlog_basic.h). */
export const OPENGAUSS_WAL_PAGE_MAGIC = 0xd074

/** Which server wrote WAL with this magic. */
export interface WalFormat {
  readonly flavor: WalFlavor
  /** The PostgreSQL major; undefined for openGauss. */
  readonly major?: number
}

/** The server and major behind a page magic, or undefined when the magic is unknown. */
export function walFormatOfMagic(magic: number): WalFormat | undefined {
  if (magic === OPENGAUSS_WAL_PAGE_MAGIC) {
    return { flavor: 'opengauss' }
  }
  for (const [major, known] of Object.entries(POSTGRESQL_WAL_PAGE_MAGIC)) {
    if (known === magic) {
      return { flavor: 'postgresql', major: Number(major) }
    }
  }
  return undefined
}

/** The long header's fields, present on the first page of every segment. */
export interface WalLongPageHeader {
  /** The database system identifier (pg_control), a 64-bit number, kept as decimal text. */
  readonly systemIdentifier: string
  readonly segmentSize: number
  readonly blockSize: number
}

export interface WalPageHeader {
  readonly magic: number
  readonly info: number
  readonly timeline: number
  readonly pageAddress: Lsn
  readonly remainingLength: number
  readonly headerSize: number
  readonly long: WalLongPageHeader | undefined
}

/** Reads the page header at offset. Throws WalPageError when the bytes are too short. */
export function readWalPageHeader(bytes: Uint8Array, offset = 0): WalPageHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.byteLength - offset < SHORT_PAGE_HEADER_SIZE) {
    throw new WalPageError(`a WAL page header needs ${SHORT_PAGE_HEADER_SIZE} bytes; only ${bytes.byteLength - offset} there`)
  }
  const info = view.getUint16(offset + INFO, true)
  const isLong = (info & XLP_LONG_HEADER) !== 0
  if (isLong && bytes.byteLength - offset < LONG_PAGE_HEADER_SIZE) {
    throw new WalPageError(`a long WAL page header needs ${LONG_PAGE_HEADER_SIZE} bytes; only ${bytes.byteLength - offset} there`)
  }
  return {
    magic: view.getUint16(offset + MAGIC, true),
    info,
    timeline: view.getUint32(offset + TLI, true),
    pageAddress: view.getBigUint64(offset + PAGE_ADDRESS, true),
    remainingLength: view.getUint32(offset + REM_LEN, true),
    headerSize: isLong ? LONG_PAGE_HEADER_SIZE : SHORT_PAGE_HEADER_SIZE,
    long: isLong
      ? {
          systemIdentifier: view.getBigUint64(offset + SYSID, true).toString(),
          segmentSize: view.getUint32(offset + SEG_SIZE, true),
          blockSize: view.getUint32(offset + BLCKSZ, true),
        }
      : undefined,
  }
}

/** A segment's identity, read from and checked against its first page. */
export interface WalSegmentHeader {
  readonly header: WalPageHeader
  readonly format: WalFormat | undefined
  readonly systemIdentifier: string
  readonly segmentSize: number
  readonly blockSize: number
}

export interface SegmentHeaderExpectations {
  /** The file name the segment is archived under (segment or .partial): checks xlp_pageaddr and the timeline. */
  readonly fileName?: string
  readonly segmentSize?: number
  /** Accept magics this package does not know (a newer major); default true. */
  readonly allowUnknownMagic?: boolean
}

/**
 * Reads a segment's first page and checks it is one: a long header with sane flags, a valid
 * segment and page size, a page address at a segment start that matches the file name, and a
 * timeline not above the name's (a new timeline's first segment starts with its parent's pages).
 */
export function readSegmentHeader(bytes: Uint8Array, expect: SegmentHeaderExpectations = {}): WalSegmentHeader {
  const what = expect.fileName ?? 'the segment'
  const header = readWalPageHeader(bytes)
  const format = walFormatOfMagic(header.magic)
  if (header.magic === 0 && header.info === 0 && header.pageAddress === 0n) {
    throw new WalPageError(`${what} starts with an empty page, not a WAL page header`)
  }
  if (!format && expect.allowUnknownMagic === false) {
    throw new WalPageError(`${what} has an unknown WAL page magic 0x${header.magic.toString(16).toUpperCase()}`)
  }
  if (!header.long) {
    throw new WalPageError(`${what} does not start with a long WAL page header (xlp_info 0x${header.info.toString(16)})`)
  }
  if ((header.info & ~XLP_ALL_FLAGS) !== 0) {
    throw new WalPageError(`${what} has unknown page flags 0x${header.info.toString(16)}`)
  }
  const { segmentSize, blockSize, systemIdentifier } = header.long
  if (!isValidSegmentSize(segmentSize)) {
    throw new WalPageError(`${what} declares a segment size of ${segmentSize} bytes, which is not valid`)
  }
  if (blockSize < 1024 || blockSize > 65536 || (blockSize & (blockSize - 1)) !== 0) {
    throw new WalPageError(`${what} declares a WAL page size of ${blockSize} bytes, which is not valid`)
  }
  if (expect.segmentSize !== undefined && expect.segmentSize !== segmentSize) {
    throw new WalPageError(`${what} declares ${segmentSize}-byte segments, not ${expect.segmentSize}`)
  }
  if (header.pageAddress % BigInt(segmentSize) !== 0n) {
    throw new WalPageError(`${what}'s first page address ${formatLsn(header.pageAddress)} is not at a segment start`)
  }
  if (expect.fileName !== undefined) {
    const id = parseSegmentFileName(expect.fileName, segmentSize)
    const start = segmentStartLsn(id.segmentNumber, segmentSize)
    if (header.pageAddress !== start) {
      throw new WalPageError(
        `${what} holds WAL from ${formatLsn(header.pageAddress)}, but its name says ${formatLsn(start)}`
      )
    }
    if (header.timeline > id.timeline) {
      throw new WalPageError(`${what} holds WAL of timeline ${header.timeline}, above its name's timeline ${id.timeline}`)
    }
  }
  return { header, format, systemIdentifier, segmentSize, blockSize }
}

/** What a walk over a segment's pages found. */
export interface WalPageWalk {
  /** Pages with a valid header in sequence, from the first. */
  readonly pages: number
  /** Whether the walk stopped at an all-zero page (never-written WAL) before the end of the bytes. */
  readonly endedAtZeroPage: boolean
}

/**
 * Checks page continuity through a segment's bytes: every page has the first page's magic, a
 * short header, the page address that follows the previous one and a timeline that never goes
 * down. An all-zero page header ends the walk (the rest was never written).
 */
export function walkWalPages(bytes: Uint8Array, expect: SegmentHeaderExpectations = {}): WalPageWalk {
  const first = readSegmentHeader(bytes, expect)
  const what = expect.fileName ?? 'the segment'
  const { blockSize } = first
  let timeline = first.header.timeline
  let pages = 1
  for (let offset = blockSize; offset + SHORT_PAGE_HEADER_SIZE <= bytes.byteLength; offset += blockSize) {
    const page = readWalPageHeader(bytes, offset)
    if (page.magic === 0 && page.info === 0 && page.pageAddress === 0n) {
      return { pages, endedAtZeroPage: true }
    }
    const index = offset / blockSize
    const expected = first.header.pageAddress + BigInt(offset)
    if (page.magic !== first.header.magic) {
      throw new WalPageError(`${what} page ${index} has magic 0x${page.magic.toString(16)}, not 0x${first.header.magic.toString(16)}`)
    }
    if (page.long) {
      throw new WalPageError(`${what} page ${index} has a long header; only the first page may`)
    }
    if (page.pageAddress !== expected) {
      throw new WalPageError(`${what} page ${index} is at ${formatLsn(page.pageAddress)}, expected ${formatLsn(expected)}`)
    }
    if (page.timeline < timeline) {
      throw new WalPageError(`${what} page ${index} goes back from timeline ${timeline} to ${page.timeline}`)
    }
    timeline = page.timeline
    pages += 1
  }
  return { pages, endedAtZeroPage: false }
}
