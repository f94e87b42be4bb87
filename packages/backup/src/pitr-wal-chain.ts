// The WAL a point-in-time recovery reads, checked against what a repository holds: for each segment
// from the backup's start, the file of the newest timeline on the recovery path whose range reaches
// it (the server reads a timeline switch's segment from the new timeline). Missing names are a gap.
import {
  parseSegmentFileName,
  segmentFileName,
  segmentNumberOfEndLsn,
  segmentNumberOfLsn,
  type Lsn,
  type TimelineRange,
} from '@tidemark/wal'

export interface WalChainRequest {
  /** Every archived name in the repository. */
  readonly archived: readonly string[]
  readonly segmentSize: number
  /** The recovery path: the target timeline's ranges, oldest first (a single open range without history). */
  readonly path: readonly TimelineRange[]
  /** The backup's start LSN. */
  readonly start: Lsn
  /** WAL that must be there: up to the backup's end, or to an LSN target beyond it. */
  readonly requiredEnd: Lsn
}

export interface WalChain {
  /** Segment names needed up to requiredEnd that the repository lacks. */
  readonly missing: readonly string[]
  /** Segments past requiredEnd lacking while later segments of the path are archived (a hole recovery would stop at). */
  readonly holes: readonly string[]
  /** The last segment of the unbroken chain (where recovery runs out of WAL). */
  readonly last: string | undefined
}

function timelineOfSegment(path: readonly TimelineRange[], segment: bigint, segmentSize: number): number {
  let timeline = path[0]?.timeline ?? 1
  for (const range of path) {
    if (segmentNumberOfLsn(range.begin, segmentSize) <= segment) {
      timeline = range.timeline
    }
  }
  return timeline
}

/** Checks the chain; see the file comment. */
export function checkWalChain(request: WalChainRequest): WalChain {
  const { segmentSize, path } = request
  const archived = new Set(request.archived)
  const first = segmentNumberOfLsn(request.start, segmentSize)
  const requiredLast = segmentNumberOfEndLsn(request.requiredEnd, segmentSize)
  // The furthest segment of the path the repository holds.
  let furthest = requiredLast
  for (const name of archived) {
    if (!/^[0-9A-F]{24}$/.test(name)) {
      continue
    }
    const id = parseSegmentFileName(name, segmentSize)
    if (id.segmentNumber > furthest && timelineOfSegment(path, id.segmentNumber, segmentSize) === id.timeline) {
      furthest = id.segmentNumber
    }
  }
  const missing: string[] = []
  const holes: string[] = []
  let last: string | undefined
  let broken = false
  for (let segment = first; segment <= furthest; segment += 1n) {
    const name = segmentFileName(timelineOfSegment(path, segment, segmentSize), segment, segmentSize)
    if (archived.has(name)) {
      if (!broken) {
        last = name
      }
      continue
    }
    broken = true
    if (segment <= requiredLast) {
      missing.push(name)
    } else {
      holes.push(name)
    }
  }
  return { missing, holes, last }
}
