// What `tidemark expire` removes, decided before anything is touched (pure): the backups the retention
// policy lets go, unfinished backups left long enough to be dead, and the WAL no kept backup needs.
//
// WAL is kept from the start segment of the oldest kept backup (the lowest start LSN of any kept one) on,
// on every timeline, with every history file: that is what each kept backup needs to become consistent
// and to recover to any later point. Only segments, .partial and .backup files wholly before it go.
import {
  classifyWalFileName,
  parseLsn,
  parseSegmentFileName,
  segmentFileNameOfLsn,
  walInventory,
  type Lsn,
  type WalInventory,
} from '@tidemark/wal'
import type { BackupRecord } from '../catalog/backup-record.js'
import { BackupUsageError, ExpireRefusedError } from '../errors.js'
import { backupWalCoverage } from './wal-coverage.js'

/** Keep the newest N backups, or every backup the last D days of PITR need. */
export type RetentionPolicy = { readonly retainFull: number } | { readonly retainDays: number }

/** A backup id holding files but no record: running, or left by a crash. */
export interface UnfinishedBackup {
  readonly id: string
  readonly bytes: number
  /** The newest of its start (from its id) and its objects' modification times. */
  readonly lastActivity: Date
}

/** How long an unfinished backup is left alone by default: it may still be running. */
export const DEFAULT_UNFINISHED_GRACE_MS: number = 24 * 60 * 60 * 1000

const DAY_MS = 24 * 60 * 60 * 1000

export interface ExpirePlanInput {
  /** The finished backups, any order. */
  readonly records: readonly BackupRecord[]
  readonly unfinished: readonly UnfinishedBackup[]
  /** Every archived WAL name. */
  readonly walNames: readonly string[]
  readonly segmentSize: number
  /** The system the WAL belongs to: only kept backups of it decide what WAL goes (none: no WAL goes). */
  readonly walSystemIdentifier: string | undefined
  readonly policy: RetentionPolicy
  readonly now: Date
  readonly unfinishedGraceMs?: number | undefined
}

export interface ExpirePlan {
  /** Kept and expired backups, oldest first. */
  readonly kept: readonly BackupRecord[]
  readonly expired: readonly BackupRecord[]
  readonly unfinishedRemoved: readonly UnfinishedBackup[]
  /** Unfinished backups younger than the grace period: maybe running, never touched. */
  readonly unfinishedKept: readonly UnfinishedBackup[]
  /** The segment WAL is kept from (on every timeline); undefined when no kept backup is of the WAL's system, and so no WAL goes. */
  readonly walKeptFrom: string | undefined
  /** WAL names removed, in name order. */
  readonly walRemoved: readonly string[]
  /** The same names as contiguous segment runs per timeline, plus the .partial and .backup ones. */
  readonly walRemovedRuns: WalInventory
  readonly segmentSize: number
}

/** Checks a policy: exactly one of a whole number of backups (1 or more) or a positive number of days. */
export function checkRetentionPolicy(retainFull: number | undefined, retainDays: number | undefined): RetentionPolicy {
  if ((retainFull === undefined) === (retainDays === undefined)) {
    throw new BackupUsageError('give exactly one of --retain-full N and --retain-days D')
  }
  if (retainFull !== undefined) {
    if (!Number.isSafeInteger(retainFull) || retainFull < 1) {
      throw new BackupUsageError(`--retain-full ${retainFull}: keep at least 1 backup (a whole number); expire never removes every backup`)
    }
    return { retainFull }
  }
  const days = retainDays ?? 0
  if (!Number.isFinite(days) || days <= 0) {
    throw new BackupUsageError(`--retain-days ${days}: expected a number of days above 0`)
  }
  return { retainDays: days }
}

function newestFirst(records: readonly BackupRecord[]): BackupRecord[] {
  return [...records].sort((a, b) => Date.parse(b.endTime) - Date.parse(a.endTime) || b.id.localeCompare(a.id))
}

/**
 * The backups a policy keeps. retainFull: the newest N. retainDays: every backup that ended within the
 * last D days and the newest one that ended before (the one recovery to the window's first moments
 * starts from), so any point of the window stays reachable; at least the newest backup.
 */
export function keptBackups(records: readonly BackupRecord[], policy: RetentionPolicy, now: Date): Set<string> {
  const sorted = newestFirst(records)
  if ('retainFull' in policy) {
    return new Set(sorted.slice(0, policy.retainFull).map((record) => record.id))
  }
  const cutoff = now.getTime() - policy.retainDays * DAY_MS
  const inWindow = sorted.filter((record) => Date.parse(record.endTime) > cutoff)
  const before = sorted.find((record) => Date.parse(record.endTime) <= cutoff)
  return new Set([...inWindow, ...(before ? [before] : [])].map((record) => record.id))
}

/** The segment number a WAL file lies in (its segment part), or undefined for history files and anything unparsable. */
function segmentNumberOfFile(name: string, segmentSize: number): bigint | undefined {
  const parsed = classifyWalFileName(name)
  if (!parsed?.segment) {
    return undefined
  }
  try {
    return parseSegmentFileName(parsed.segment, segmentSize).segmentNumber
  } catch {
    return undefined
  }
}

/** Why a backup cannot be restored, or undefined when it can: it holds its WAL (-X stream/fetch), or the archive holds it. */
function unrestorable(record: BackupRecord, input: ExpirePlanInput): string | undefined {
  if (record.walMethod === 'stream' || record.walMethod === 'fetch') {
    return undefined
  }
  if (record.systemIdentifier !== input.walSystemIdentifier) {
    return `its WAL is not in the repository (the archive is of database system ${input.walSystemIdentifier ?? 'none'})`
  }
  const coverage = backupWalCoverage(record, { names: input.walNames, segmentSize: input.segmentSize, histories: new Map() })
  return coverage.consistent ? undefined : `WAL is missing from ${coverage.missingFrom ?? coverage.startSegment} and it holds none of its own`
}

/**
 * Decides; see the file comment. Refuses (ExpireRefusedError) to remove backups when none of those
 * kept could be restored: an archive that lost WAL must not cost the last usable backup.
 */
export function planExpire(input: ExpirePlanInput): ExpirePlan {
  const keptIds = keptBackups(input.records, input.policy, input.now)
  const oldestFirst = newestFirst(input.records).reverse()
  const kept = oldestFirst.filter((record) => keptIds.has(record.id))
  const expired = oldestFirst.filter((record) => !keptIds.has(record.id))
  const problems = kept.map((record) => ({ record, problem: unrestorable(record, input) }))
  if (expired.length > 0 && problems.every(({ problem }) => problem !== undefined)) {
    const why = problems.map(({ record, problem }) => `${record.id}: ${problem ?? ''}`).join('; ')
    throw new ExpireRefusedError(
      `expire would keep only backups that cannot be restored (${why}) and remove ${expired.length} older one(s); ` +
        `nothing was changed: repair the archive, or keep more backups`
    )
  }
  const grace = input.unfinishedGraceMs ?? DEFAULT_UNFINISHED_GRACE_MS
  const stale = (backup: UnfinishedBackup): boolean => input.now.getTime() - backup.lastActivity.getTime() >= grace
  const needingWal = kept.filter((record) => record.systemIdentifier === input.walSystemIdentifier)
  const oldestStart = needingWal.reduce<BackupRecord | undefined>(
    (oldest, record) => (oldest === undefined || parseLsn(record.startLsn) < parseLsn(oldest.startLsn) ? record : oldest),
    undefined
  )
  let walKeptFrom: string | undefined
  const walRemoved: string[] = []
  if (oldestStart) {
    const start: Lsn = parseLsn(oldestStart.startLsn)
    walKeptFrom = segmentFileNameOfLsn(oldestStart.timeline, start, input.segmentSize)
    const first = parseSegmentFileName(walKeptFrom, input.segmentSize).segmentNumber
    for (const name of [...input.walNames].sort()) {
      const segment = segmentNumberOfFile(name, input.segmentSize)
      if (segment !== undefined && segment < first) {
        walRemoved.push(name)
      }
    }
  }
  return {
    kept,
    expired,
    unfinishedRemoved: input.unfinished.filter(stale),
    unfinishedKept: input.unfinished.filter((backup) => !stale(backup)),
    walKeptFrom,
    walRemoved,
    walRemovedRuns: walInventory(walRemoved, input.segmentSize),
    segmentSize: input.segmentSize,
  }
}
