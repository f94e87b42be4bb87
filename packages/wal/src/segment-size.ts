// wal_segment_size: a power of two from 1 MB to 1 GB (initdb --wal-segsize); 16 MB by default.
import { SegmentSizeError } from './errors.js'

export const MIN_SEGMENT_SIZE: number = 1024 * 1024
export const MAX_SEGMENT_SIZE: number = 1024 * 1024 * 1024
export const DEFAULT_SEGMENT_SIZE: number = 16 * 1024 * 1024

/** Whether size is a valid wal_segment_size in bytes. */
export function isValidSegmentSize(size: number): boolean {
  return Number.isInteger(size) && size >= MIN_SEGMENT_SIZE && size <= MAX_SEGMENT_SIZE && (size & (size - 1)) === 0
}

/** Throws SegmentSizeError unless size is a valid wal_segment_size; returns it. */
export function checkSegmentSize(size: number): number {
  if (!isValidSegmentSize(size)) {
    throw new SegmentSizeError(`${size} is not a valid WAL segment size; it must be a power of two from 1 MB to 1 GB`)
  }
  return size
}

/** Segments per 4 GB "log" id: the modulus of the last 8 hex digits of a segment name. */
export function segmentsPerLogId(segmentSize: number): bigint {
  return 0x1_0000_0000n / BigInt(checkSegmentSize(segmentSize))
}
