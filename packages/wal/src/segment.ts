// Segments and LSNs for any wal_segment_size: XLByteToSeg, XLByteToPrevSeg, XLogSegNoOffsetToRecPtr,
// XLogFileName and XLogFromFileName of xlog_internal.h (the same formulas in openGauss).
import { LsnError, WalNameError } from './errors.js'
import { assertLsn, formatLsn, type Lsn } from './lsn.js'
import { checkSegmentSize, segmentsPerLogId } from './segment-size.js'
import { checkTimeline, hex8, SEGMENT_NAME_LENGTH } from './wal-file-name.js'

/** A segment name taken apart: timeline, the "log" and "seg" halves, and the segment number. */
export interface SegmentId {
  readonly timeline: number
  readonly log: number
  readonly seg: number
  /** XLogSegNo: the segment's index from LSN 0. */
  readonly segmentNumber: bigint
}

/** The segment holding the byte at lsn (XLByteToSeg). */
export function segmentNumberOfLsn(lsn: Lsn, segmentSize: number): bigint {
  assertLsn(lsn)
  return lsn / BigInt(checkSegmentSize(segmentSize))
}

/** The segment holding the byte just before lsn (XLByteToPrevSeg): where WAL ending at lsn lives. */
export function segmentNumberOfEndLsn(lsn: Lsn, segmentSize: number): bigint {
  assertLsn(lsn)
  if (lsn === 0n) {
    throw new LsnError('0/0 has no previous byte and so no segment')
  }
  return (lsn - 1n) / BigInt(checkSegmentSize(segmentSize))
}

/** The byte offset of lsn within its segment (XLogSegmentOffset). */
export function segmentOffset(lsn: Lsn, segmentSize: number): number {
  assertLsn(lsn)
  return Number(lsn % BigInt(checkSegmentSize(segmentSize)))
}

/** The LSN of a segment's first byte plus offset (XLogSegNoOffsetToRecPtr). */
export function segmentStartLsn(segmentNumber: bigint, segmentSize: number, offset = 0): Lsn {
  const lsn = segmentNumber * BigInt(checkSegmentSize(segmentSize)) + BigInt(offset)
  assertLsn(lsn)
  return lsn
}

/** The last segment number an LSN can reach for this segment size. */
export function maxSegmentNumber(segmentSize: number): bigint {
  return 0xffff_ffff_ffff_ffffn / BigInt(checkSegmentSize(segmentSize))
}

/** XLogFileName: the 24-character name of a segment on a timeline. */
export function segmentFileName(timeline: number, segmentNumber: bigint, segmentSize: number): string {
  checkTimeline(timeline)
  if (segmentNumber < 0n || segmentNumber > maxSegmentNumber(segmentSize)) {
    throw new WalNameError(`segment number ${segmentNumber} is out of range for ${segmentSize}-byte segments`)
  }
  const perId = segmentsPerLogId(segmentSize)
  return `${hex8(timeline)}${hex8(segmentNumber / perId)}${hex8(segmentNumber % perId)}`
}

/** The name of the segment holding the byte at lsn. */
export function segmentFileNameOfLsn(timeline: number, lsn: Lsn, segmentSize: number): string {
  return segmentFileName(timeline, segmentNumberOfLsn(lsn, segmentSize), segmentSize)
}

/**
 * XLogFromFileName: takes apart the 24-character segment part of a segment, .partial or .backup
 * name. Refuses a "seg" half that cannot exist at this segment size (e.g. 00000100 with 16 MB).
 */
export function parseSegmentFileName(name: string, segmentSize: number): SegmentId {
  const segment = name.slice(0, SEGMENT_NAME_LENGTH)
  if (!/^[0-9A-F]{24}$/.test(segment)) {
    throw new WalNameError(`"${name}" does not start with a 24-digit upper-case hex segment name`)
  }
  const timeline = Number.parseInt(segment.slice(0, 8), 16)
  const log = Number.parseInt(segment.slice(8, 16), 16)
  const seg = Number.parseInt(segment.slice(16, 24), 16)
  const perId = segmentsPerLogId(segmentSize)
  if (BigInt(seg) >= perId) {
    throw new WalNameError(
      `"${name}" cannot be a segment name with ${segmentSize}-byte segments: its last 8 digits must stay below ${hex8(perId)}`
    )
  }
  return { timeline, log, seg, segmentNumber: BigInt(log) * perId + BigInt(seg) }
}

/** The segment after name on the same timeline. */
export function nextSegmentFileName(name: string, segmentSize: number): string {
  const id = parseSegmentFileName(name, segmentSize)
  return segmentFileName(id.timeline, id.segmentNumber + 1n, segmentSize)
}

/** The segment before name on the same timeline; the first segment has none. */
export function previousSegmentFileName(name: string, segmentSize: number): string {
  const id = parseSegmentFileName(name, segmentSize)
  if (id.segmentNumber === 0n) {
    throw new WalNameError(`${name} is the first possible segment and has no previous one`)
  }
  return segmentFileName(id.timeline, id.segmentNumber - 1n, segmentSize)
}

/**
 * The segments holding the WAL bytes from start up to end (exclusive) on one timeline, in order:
 * what a backup taken between these two LSNs needs. With end equal to start, the segment of start.
 */
export function segmentRange(timeline: number, start: Lsn, end: Lsn, segmentSize: number): string[] {
  if (end < start) {
    throw new LsnError(`the range ${formatLsn(start)} … ${formatLsn(end)} ends before it starts`)
  }
  const first = segmentNumberOfLsn(start, segmentSize)
  const last = end === start ? first : segmentNumberOfEndLsn(end, segmentSize)
  const names: string[] = []
  for (let segmentNumber = first; segmentNumber <= last; segmentNumber += 1n) {
    names.push(segmentFileName(timeline, segmentNumber, segmentSize))
  }
  return names
}

/** The segment names from first to last inclusive, both on the same timeline. */
export function segmentFileNamesBetween(first: string, last: string, segmentSize: number): string[] {
  const from = parseSegmentFileName(first, segmentSize)
  const to = parseSegmentFileName(last, segmentSize)
  if (from.timeline !== to.timeline) {
    throw new WalNameError(`${first} and ${last} are on different timelines`)
  }
  if (to.segmentNumber < from.segmentNumber) {
    throw new WalNameError(`${last} comes before ${first}`)
  }
  const names: string[] = []
  for (let n = from.segmentNumber; n <= to.segmentNumber; n += 1n) {
    names.push(segmentFileName(from.timeline, n, segmentSize))
  }
  return names
}

/** BackupHistoryFileName: `<segment>.OOOOOOOO.backup` for a backup starting at lsn. */
export function backupHistoryFileName(timeline: number, startLsn: Lsn, segmentSize: number): string {
  return `${segmentFileNameOfLsn(timeline, startLsn, segmentSize)}.${hex8(segmentOffset(startLsn, segmentSize))}.backup`
}
