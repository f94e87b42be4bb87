// WAL file names as PostgreSQL 13–18 and openGauss write them in pg_wal / pg_xlog and hand to
// archive_command: `TTTTTTTTLLLLLLLLSSSSSSSS` segments, `<segment>.partial`, `TTTTTTTT.history` and
// `<segment>.OOOOOOOO.backup`. Upper-case hex only, exactly as the servers print them (%08X).
import { WalNameError } from './errors.js'

export type WalFileKind = 'segment' | 'partial' | 'history' | 'backup'

/** What a WAL file name says about itself, without knowing the segment size. */
export interface WalFileName {
  readonly name: string
  readonly kind: WalFileKind
  readonly timeline: number
  /** The 24-character segment name inside a segment, .partial or .backup name. */
  readonly segment?: string
  /** The start offset within the segment, for .backup files. */
  readonly backupOffset?: number
}

export const SEGMENT_NAME_LENGTH = 24

const HEX8 = '[0-9A-F]{8}'
const SEGMENT = new RegExp(`^(${HEX8})(${HEX8})(${HEX8})$`)
const PARTIAL = new RegExp(`^((${HEX8})${HEX8}${HEX8})\\.partial$`)
const HISTORY = new RegExp(`^(${HEX8})\\.history$`)
const BACKUP = new RegExp(`^((${HEX8})${HEX8}${HEX8})\\.(${HEX8})\\.backup$`)

/** Classifies a WAL file name, or returns undefined for anything else (paths, lower case, other suffixes). */
export function classifyWalFileName(name: string): WalFileName | undefined {
  let match = SEGMENT.exec(name)
  if (match) {
    return { name, kind: 'segment', timeline: hex(match[1]), segment: name }
  }
  match = PARTIAL.exec(name)
  if (match) {
    return { name, kind: 'partial', timeline: hex(match[2]), segment: match[1] ?? '' }
  }
  match = HISTORY.exec(name)
  if (match) {
    return { name, kind: 'history', timeline: hex(match[1]) }
  }
  match = BACKUP.exec(name)
  if (match) {
    return { name, kind: 'backup', timeline: hex(match[2]), segment: match[1] ?? '', backupOffset: hex(match[3]) }
  }
  return undefined
}

/** Like classifyWalFileName but throws WalNameError naming what is accepted. */
export function parseWalFileName(name: string): WalFileName {
  const parsed = classifyWalFileName(name)
  if (!parsed) {
    throw new WalNameError(
      `"${name}" is not a WAL file name; expected a segment (24 upper-case hex digits), ` +
        `<segment>.partial, TTTTTTTT.history or <segment>.OOOOOOOO.backup`
    )
  }
  return parsed
}

export function isWalFileName(name: string): boolean {
  return classifyWalFileName(name) !== undefined
}

export function isSegmentFileName(name: string): boolean {
  return SEGMENT.test(name)
}

export function isPartialFileName(name: string): boolean {
  return PARTIAL.test(name)
}

export function isHistoryFileName(name: string): boolean {
  return HISTORY.test(name)
}

export function isBackupHistoryFileName(name: string): boolean {
  return BACKUP.test(name)
}

/** `TTTTTTTT.history` for a timeline. */
export function historyFileName(timeline: number): string {
  return `${hex8(checkTimeline(timeline))}.history`
}

/** Throws unless timeline is a valid TimeLineID (1 … 2^32-1). */
export function checkTimeline(timeline: number): number {
  if (!Number.isInteger(timeline) || timeline < 1 || timeline > 0xffff_ffff) {
    throw new WalNameError(`${timeline} is not a timeline; expected an integer from 1 to 4294967295`)
  }
  return timeline
}

export function hex8(value: number | bigint): string {
  return value.toString(16).toUpperCase().padStart(8, '0')
}

function hex(text: string | undefined): number {
  return Number.parseInt(text ?? '', 16)
}
