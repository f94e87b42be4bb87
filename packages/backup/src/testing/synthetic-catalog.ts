// Synthetic backup records and WAL names for the catalog's unit tests (16 MiB segments).
import {
  formatLsn,
  formatTimelineHistory,
  historyFileName,
  parseLsn,
  parseTimelineHistory,
  segmentFileName,
  segmentStartLsn,
  type TimelineHistoryEntry,
} from '@tidemark/wal'
import type { BackupRecord } from '../catalog/backup-record.js'
import type { WalForChoice } from '../repository/pick-backup.js'

export const SEGMENT_SIZE = 16 * 1024 * 1024
export const SYSTEM = '7311937342174040106'

/** The name of segment n on a timeline. */
export function seg(timeline: number, n: number): string {
  return segmentFileName(timeline, BigInt(n), SEGMENT_SIZE)
}

/** The LSN at offset within segment n. */
export function lsnIn(n: number, offset = 0x28): string {
  return formatLsn(segmentStartLsn(BigInt(n), SEGMENT_SIZE, offset))
}

/** Segments from first to last inclusive on a timeline. */
export function segs(timeline: number, first: number, last: number): string[] {
  const names: string[] = []
  for (let n = first; n <= last; n += 1) {
    names.push(seg(timeline, n))
  }
  return names
}

/** A finished backup from segment `from` to segment `to` on a timeline, ending at `endTime`. */
export function backupRecord(id: string, from: number, to: number, endTime: string, overrides: Partial<BackupRecord> = {}): BackupRecord {
  return {
    id,
    label: 'test',
    startLsn: lsnIn(from),
    endLsn: lsnIn(to, 0x100),
    timeline: 1,
    startTime: endTime,
    endTime,
    systemIdentifier: SYSTEM,
    bytes: 100,
    flavor: 'postgresql',
    serverMajor: 16,
    format: 'tar',
    compression: 'none',
    verified: false,
    ...overrides,
  }
}

/** A timeline's history: it branched from each earlier timeline at offset 0x100 of segment `at`. */
export function history(switches: ReadonlyArray<{ readonly timeline: number; readonly at: number }>): TimelineHistoryEntry[] {
  const entries = switches.map(({ timeline, at }) => ({ timeline, switchpoint: parseLsn(lsnIn(at, 0x100)), reason: 'test' }))
  return parseTimelineHistory(formatTimelineHistory(entries))
}

/** The WAL view of names plus histories (their .history names are added to names). */
export function walView(names: readonly string[], histories: Record<number, TimelineHistoryEntry[]> = {}): WalForChoice {
  const map = new Map(Object.entries(histories).map(([timeline, entries]) => [Number(timeline), entries]))
  return {
    names: [...names, ...[...map.keys()].map((timeline) => historyFileName(timeline))].sort(),
    segmentSize: SEGMENT_SIZE,
    histories: map,
    identity: { systemIdentifier: SYSTEM },
  }
}
