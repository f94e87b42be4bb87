// Archive lag: how far the last archived segment is behind the server's current WAL position.
import { parseLsn } from './lsn.js'
import { parseSegmentFileName, segmentNumberOfLsn } from './segment.js'
import { isPartialFileName, isSegmentFileName } from './wal-file-name.js'

export interface ArchiveLag {
  /** WAL bytes written after the end of the last archived segment. */
  readonly bytes: number
  /** Completed segments after the last archived one (the one being written is not counted). */
  readonly segments: number
}

/**
 * Undefined when it cannot be told: nothing archived yet, or the last archived file is not a
 * segment (a .history or .backup file does not say how far archiving has come).
 */
export function archiveLag(currentLsn: string, lastArchivedWal: string | undefined, segmentSize: number): ArchiveLag | undefined {
  if (!lastArchivedWal || !(isSegmentFileName(lastArchivedWal) || isPartialFileName(lastArchivedWal))) {
    return undefined
  }
  const archived = parseSegmentFileName(lastArchivedWal, segmentSize).segmentNumber
  const current = parseLsn(currentLsn)
  const archivedEnd = (archived + 1n) * BigInt(segmentSize)
  const bytes = current > archivedEnd ? current - archivedEnd : 0n
  const pending = segmentNumberOfLsn(current, segmentSize) - archived - 1n
  return { bytes: Number(bytes), segments: Number(pending > 0n ? pending : 0n) }
}
