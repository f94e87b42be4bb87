// Generated WAL: deterministic bytes for any LSN, so the simulator can stream or ship segments
// without holding them. Each 8 kB page starts with an openGauss page header (`XLogPageHeaderData`,
// little-endian; the long form on a segment's first page); the rest is a fixed pattern. Bytes at or
// past the flush position are zero, as in a pre-allocated segment file. Not replayable WAL.
import { OG_WAL_PAGE_SIZE, OG_WAL_SEGMENT_SIZE, OG_XLOG_PAGE_MAGIC, OG_XLP_LONG_HEADER } from './constants.js'

export interface WalSource {
  readonly timeline: number
  readonly systemId: bigint
  /** Start of the oldest segment still present; earlier LSNs are "already removed". */
  readonly oldestLsn: bigint
  /** The flush position: WAL exists below it. */
  flushLsn: bigint
}

/** Short page header: magic u16, info u16, tli u32, pageaddr u64, rem_len u32, total_len u32. */
export const OG_XLOG_SHORT_PAGE_HEADER_SIZE = 24
/** Long header adds sysid u64, seg_size u32, xlog_blcksz u32. */
export const OG_XLOG_LONG_PAGE_HEADER_SIZE = 40

function pageHeader(source: WalSource, pageAddr: bigint): Buffer {
  const long = pageAddr % BigInt(OG_WAL_SEGMENT_SIZE) === 0n
  const header = Buffer.alloc(long ? OG_XLOG_LONG_PAGE_HEADER_SIZE : OG_XLOG_SHORT_PAGE_HEADER_SIZE)
  header.writeUInt16LE(OG_XLOG_PAGE_MAGIC, 0)
  header.writeUInt16LE(long ? OG_XLP_LONG_HEADER : 0, 2)
  header.writeUInt32LE(source.timeline, 4)
  header.writeBigUInt64LE(pageAddr, 8)
  if (long) {
    header.writeBigUInt64LE(source.systemId, 24)
    header.writeUInt32LE(OG_WAL_SEGMENT_SIZE, 32)
    header.writeUInt32LE(OG_WAL_PAGE_SIZE, 36)
  }
  return header
}

/** `length` bytes of WAL starting at `from` (LSNs below 2^53, as everything the simulator makes). */
export function readWal(source: WalSource, from: bigint, length: number): Buffer {
  const out = Buffer.alloc(length)
  const start = Number(from)
  const flush = Number(source.flushLsn)
  const end = Math.min(start + length, flush)
  let pos = start
  while (pos < end) {
    const pageAddr = pos - (pos % OG_WAL_PAGE_SIZE)
    const pageEnd = Math.min(pageAddr + OG_WAL_PAGE_SIZE, end)
    const header = pageHeader(source, BigInt(pageAddr))
    for (let at = pos; at < pageEnd; at += 1) {
      const inPage = at - pageAddr
      // The pattern: a function of the low 32 bits of the LSN.
      const low = at % 0x1_0000_0000
      out[at - start] = inPage < header.length ? (header[inPage] ?? 0) : (low * 31 + (low >>> 13)) & 0xff
    }
    pos = pageEnd
  }
  return out
}
