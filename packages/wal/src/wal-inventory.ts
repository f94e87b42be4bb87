// What a WAL repository holds, as contiguous segment ranges per timeline with the gaps.
import { parseSegmentFileName, segmentFileName } from './segment.js'
import { isHistoryFileName, isPartialFileName, isSegmentFileName } from './wal-file-name.js'

export interface SegmentRun {
  readonly first: string
  readonly last: string
  readonly count: number
}

export interface TimelineWal {
  readonly timeline: number
  readonly ranges: readonly SegmentRun[]
  /** Missing segments between the ranges. */
  readonly gaps: readonly SegmentRun[]
}

export interface WalInventory {
  readonly timelines: readonly TimelineWal[]
  readonly partial: readonly string[]
  readonly history: readonly string[]
  readonly backupHistory: readonly string[]
}

export function walInventory(names: readonly string[], segmentSize: number): WalInventory {
  const byTimeline = new Map<number, bigint[]>()
  const partial: string[] = []
  const history: string[] = []
  const backupHistory: string[] = []
  for (const name of names) {
    if (isSegmentFileName(name)) {
      const id = parseSegmentFileName(name, segmentSize)
      byTimeline.set(id.timeline, [...(byTimeline.get(id.timeline) ?? []), id.segmentNumber])
    } else if (isPartialFileName(name)) {
      partial.push(name)
    } else if (isHistoryFileName(name)) {
      history.push(name)
    } else {
      backupHistory.push(name)
    }
  }
  const timelines = [...byTimeline.keys()]
    .sort((a, b) => a - b)
    .map((timeline) => runsOf(timeline, byTimeline.get(timeline) ?? [], segmentSize))
  return { timelines, partial: partial.sort(), history: history.sort(), backupHistory: backupHistory.sort() }
}

function runsOf(timeline: number, numbers: readonly bigint[], segmentSize: number): TimelineWal {
  const sorted = [...new Set(numbers)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const run = (from: bigint, to: bigint): SegmentRun => ({
    first: segmentFileName(timeline, from, segmentSize),
    last: segmentFileName(timeline, to, segmentSize),
    count: Number(to - from + 1n),
  })
  const ranges: SegmentRun[] = []
  const gaps: SegmentRun[] = []
  let start = sorted[0]
  let previous = start
  for (const current of sorted.slice(1)) {
    if (start === undefined || previous === undefined) {
      break
    }
    if (current !== previous + 1n) {
      ranges.push(run(start, previous))
      gaps.push(run(previous + 1n, current - 1n))
      start = current
    }
    previous = current
  }
  if (start !== undefined && previous !== undefined) {
    ranges.push(run(start, previous))
  }
  return { timeline, ranges, gaps }
}
