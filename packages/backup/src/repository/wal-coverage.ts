// What the archived WAL does for each backup of a repository: whether the segments from its start to its
// end are all there (it can become consistent), and how far beyond its end the unbroken chain reaches,
// following timeline switches through the history files the archive holds. Pure over names and
// parsed histories; readArchivedWal (archived-wal.ts) gathers them from a WalRepository.
import type { TargetTimeline } from '@tidemark/recovery'
import {
  formatLsn,
  parseLsn,
  parseSegmentFileName,
  segmentFileNameOfLsn,
  segmentNumberOfEndLsn,
  segmentFileName,
  segmentStartLsn,
  timelineRanges,
  type Lsn,
  type TimelineHistoryEntry,
  type TimelineRange,
} from '@tidemark/wal'
import { checkWalChain } from '../pitr-wal-chain.js'

/** A repository's archived WAL, as coverage needs it. */
export interface ArchivedWalView {
  /** Every archived name (segments, .partial, .history, .backup). */
  readonly names: readonly string[]
  readonly segmentSize: number
  /** The parsed history file of each timeline the archive has one for. */
  readonly histories: ReadonlyMap<number, readonly TimelineHistoryEntry[]>
}

/** Where a backup's WAL starts and ends: the fields of a BackupRecord coverage reads. */
export interface BackupWalSpan {
  readonly startLsn: string
  readonly endLsn: string
  readonly timeline: number
}

/** A point WAL reaches: the LSN just past the last archived byte, its segment and timeline. */
export interface WalPoint {
  readonly lsn: string
  readonly segment: string
  readonly timeline: number
}

export interface BackupWalCoverage {
  /** The first and last segment the backup needs to become consistent, on its timeline. */
  readonly startSegment: string
  readonly endSegment: string
  /** Whether every segment from startSegment to endSegment is archived. */
  readonly consistent: boolean
  /** The segments of that range the archive lacks. */
  readonly missing: readonly string[]
  /** The timelines recovery from this backup follows, oldest first (undefined: the target timeline does not descend from it). */
  readonly timelines: readonly number[]
  /** The end of the unbroken WAL from the backup's start, when it is consistent. */
  readonly recoverableTo: WalPoint | undefined
  /** The first segment the chain lacks (inside the backup's range, or a hole before later archived WAL). */
  readonly missingFrom: string | undefined
}

function ownRange(timeline: number): TimelineRange[] {
  return [{ timeline, begin: 0n, end: undefined }]
}

/** The ranges of timeline `timeline` from its history (its own open range alone when the archive has none). */
function rangesOf(view: ArchivedWalView, timeline: number): TimelineRange[] | undefined {
  const history = view.histories.get(timeline)
  if (history) {
    return timelineRanges(history, timeline)
  }
  return timeline === 1 ? ownRange(1) : undefined
}

/** The ranges from the backup's timeline on, when `ranges` passes through the backup's timeline after its end. */
function pathThrough(ranges: readonly TimelineRange[], span: BackupWalSpan, end: Lsn): TimelineRange[] | undefined {
  const own = ranges.find((range) => range.timeline === span.timeline)
  if (!own || (own.end !== undefined && own.end < end)) {
    return undefined
  }
  return ranges.filter((range) => range.timeline >= span.timeline)
}

/**
 * The timelines recovery from a backup follows, as pitr's preflight chooses them: `current` (or the
 * backup's own) stays on its timeline; a number follows that timeline's history, when the backup's
 * timeline is an ancestor the history leaves after the backup's end; `latest` (the default) the newest
 * history that does so, else the backup's own timeline. Undefined when a named timeline does not
 * descend from the backup.
 */
export function recoveryPathOf(
  span: BackupWalSpan,
  view: ArchivedWalView,
  targetTimeline: TargetTimeline = 'latest'
): TimelineRange[] | undefined {
  const end = parseLsn(span.endLsn)
  if (targetTimeline === 'current' || targetTimeline === span.timeline) {
    return ownRange(span.timeline)
  }
  if (typeof targetTimeline === 'number') {
    const ranges = rangesOf(view, targetTimeline)
    return ranges ? pathThrough(ranges, span, end) : undefined
  }
  const newest = [...view.histories.keys()].filter((timeline) => timeline > span.timeline).sort((a, b) => b - a)
  for (const timeline of newest) {
    const path = pathThrough(rangesOf(view, timeline) ?? [], span, end)
    if (path) {
      return path
    }
  }
  return ownRange(span.timeline)
}

/** The point just past a segment: where WAL ends when that segment is the last one archived. */
export function segmentEndPoint(segment: string, segmentSize: number): WalPoint {
  const id = parseSegmentFileName(segment, segmentSize)
  return { lsn: formatLsn(segmentStartLsn(id.segmentNumber + 1n, segmentSize)), segment, timeline: id.timeline }
}

/** A backup's WAL coverage on the recovery path targetTimeline gives (see recoveryPathOf). */
export function backupWalCoverage(
  span: BackupWalSpan,
  view: ArchivedWalView,
  targetTimeline: TargetTimeline = 'latest'
): BackupWalCoverage {
  const start = parseLsn(span.startLsn)
  const end = parseLsn(span.endLsn)
  const { segmentSize } = view
  const startSegment = segmentFileNameOfLsn(span.timeline, start, segmentSize)
  const endSegment =
    end > start ? segmentFileName(span.timeline, segmentNumberOfEndLsn(end, segmentSize), segmentSize) : startSegment
  const path = recoveryPathOf(span, view, targetTimeline)
  // Consistency needs the backup's own timeline only: check it there, whatever path follows.
  const own = checkWalChain({ archived: view.names, segmentSize, path: ownRange(span.timeline), start, requiredEnd: end })
  const chain = path ? checkWalChain({ archived: view.names, segmentSize, path, start, requiredEnd: end }) : undefined
  const consistent = own.missing.length === 0
  const last = consistent ? chain?.last : undefined
  return {
    startSegment,
    endSegment,
    consistent,
    missing: own.missing,
    timelines: path ? path.map((range) => range.timeline) : [],
    recoverableTo: last ? segmentEndPoint(last, segmentSize) : undefined,
    missingFrom: own.missing[0] ?? chain?.holes[0],
  }
}

/** Whether the WAL of a coverage reaches lsn (the segment holding it is archived on the path). */
export function coverageReaches(coverage: BackupWalCoverage, lsn: Lsn): boolean {
  return coverage.recoverableTo !== undefined && parseLsn(coverage.recoverableTo.lsn) > lsn
}

/** Whether WAL is archived beyond the segment the backup ends in (anything recovery could replay after it). */
export function coverageGoesBeyondEnd(coverage: BackupWalCoverage, segmentSize: number): boolean {
  return (
    coverage.recoverableTo !== undefined &&
    parseSegmentFileName(coverage.recoverableTo.segment, segmentSize).segmentNumber >
      parseSegmentFileName(coverage.endSegment, segmentSize).segmentNumber
  )
}
