// Timeline history files (`TTTTTTTT.history`): one line per ancestor timeline, "parentTLI<TAB>X/Y<TAB>reason",
// as writeTimeLineHistory writes them; blank lines and '#' comments are skipped (readTimeLineHistory).
import { TimelineHistoryError } from './errors.js'
import { formatLsn, isLsn, parseLsn, type Lsn } from './lsn.js'
import { checkTimeline } from './wal-file-name.js'

/** One ancestor: `timeline` ran until `switchpoint`, where the next timeline branched off. */
export interface TimelineHistoryEntry {
  readonly timeline: number
  readonly switchpoint: Lsn
  readonly reason: string
}

/** A timeline and the WAL range it owns in one history: [begin, end); end undefined for the newest. */
export interface TimelineRange {
  readonly timeline: number
  readonly begin: Lsn
  readonly end: Lsn | undefined
}

/**
 * Parses a history file's text. `timeline`, the file's own timeline when known, must be above
 * every ancestor. Ancestors must increase, as the server requires.
 */
export function parseTimelineHistory(text: string, timeline?: number): TimelineHistoryEntry[] {
  const entries: TimelineHistoryEntry[] = []
  const lines = text.split('\n')
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '').trimStart()
    if (line === '' || line.startsWith('#')) {
      return
    }
    const where = `line ${index + 1}`
    const fields = /^(\d+)\s+(\S+)(?:\s+(.*))?$/.exec(line)
    if (!fields || !isLsn(fields[2] ?? '')) {
      throw new TimelineHistoryError(`timeline history ${where}: "${raw}" is not "<timeline> <X/Y> <reason>"`)
    }
    const parent = Number(fields[1])
    if (!Number.isSafeInteger(parent) || parent < 1 || parent > 0xffff_ffff) {
      throw new TimelineHistoryError(`timeline history ${where}: ${fields[1]} is not a timeline`)
    }
    const previous = entries[entries.length - 1]
    if (previous && parent <= previous.timeline) {
      throw new TimelineHistoryError(`timeline history ${where}: timeline IDs must be in increasing sequence`)
    }
    entries.push({ timeline: parent, switchpoint: parseLsn(fields[2] ?? ''), reason: (fields[3] ?? '').trim() })
  })
  const last = entries[entries.length - 1]
  if (timeline !== undefined && last && last.timeline >= checkTimeline(timeline)) {
    throw new TimelineHistoryError(
      `timeline history of timeline ${timeline}: ancestor ${last.timeline} must be below the file's own timeline`
    )
  }
  return entries
}

/** The history file text for entries, as the server writes it. */
export function formatTimelineHistory(entries: readonly TimelineHistoryEntry[]): string {
  return entries.map((entry) => `${entry.timeline}\t${formatLsn(entry.switchpoint)}\t${entry.reason}\n`).join('')
}

/** The ranges every timeline of the history owns, oldest first, ending with `timeline` itself. */
export function timelineRanges(entries: readonly TimelineHistoryEntry[], timeline: number): TimelineRange[] {
  const ranges: TimelineRange[] = []
  let begin: Lsn = 0n
  for (const entry of entries) {
    ranges.push({ timeline: entry.timeline, begin, end: entry.switchpoint })
    begin = entry.switchpoint
  }
  ranges.push({ timeline: checkTimeline(timeline), begin, end: undefined })
  return ranges
}

/** The timeline whose range holds lsn (a switchpoint belongs to the newer timeline). */
export function timelineOfLsn(ranges: readonly TimelineRange[], lsn: Lsn): number {
  for (const range of ranges) {
    if (lsn >= range.begin && (range.end === undefined || lsn < range.end)) {
      return range.timeline
    }
  }
  throw new TimelineHistoryError(`${formatLsn(lsn)} lies in no timeline of this history`)
}
