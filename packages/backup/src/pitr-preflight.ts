// PITR step 1, before anything is touched: the backup verifies against its manifest; the repository
// holds every WAL segment from the backup's start to its end (and to an LSN target) on the recovery
// path, with no hole before later archived WAL; a target before the backup's end is refused.
import { parseRecoveryTime, type RecoverySettings } from '@tidemark/recovery'
import {
  DEFAULT_SEGMENT_SIZE,
  backupHistoryFileName,
  fetchWalBytes,
  formatLsn,
  historyFileName,
  isHistoryFileName,
  openWalRepository,
  parseLsn,
  parseTimelineHistory,
  timelineRanges,
  type Lsn,
  type TimelineRange,
  type WalRepository,
} from '@tidemark/wal'
import { PitrPreflightError, PitrTargetBeforeBackupError, PitrWalGapError } from './errors.js'
import type { PitrPreflight } from './pitr-options.js'
import { checkWalChain } from './pitr-wal-chain.js'
import type { BackupSource } from './extract-sources.js'
import { verifyBackup } from './verify-backup.js'

export interface PreflightRequest {
  readonly backup: BackupSource
  readonly repo: string
  readonly walRepository?: WalRepository | undefined
  readonly settings: RecoverySettings
  readonly signal?: AbortSignal | undefined
  readonly onMessage?: ((text: string) => void) | undefined
}

interface BackupWal {
  readonly timeline: number
  readonly start: Lsn
  readonly end: Lsn
}

async function verifiedBackupWal(request: PreflightRequest): Promise<BackupWal> {
  const verified = await verifyBackup(request.backup, { skipWal: true, signal: request.signal })
  if (!verified.ok) {
    const shown = verified.problems.slice(0, 5).map((problem) => `${problem.file}: ${problem.detail}`)
    const more = verified.problems.length > 5 ? ` (and ${verified.problems.length - 5} more)` : ''
    throw new PitrPreflightError(`the backup ${verified.backup} does not verify against its manifest: ${shown.join('; ')}${more}; nothing was changed`)
  }
  const first = verified.walRanges[0]
  const last = verified.walRanges.at(-1)
  if (!first || !last) {
    throw new PitrPreflightError(`the manifest of ${verified.backup} has no WAL-Ranges: where recovery must start is unknown; nothing was changed`)
  }
  request.onMessage?.(`step 1: the backup verifies against its manifest (${verified.checkedFiles} files); its WAL runs from ${first.startLsn} to ${last.endLsn} on timeline ${last.timeline}`)
  return { timeline: last.timeline, start: parseLsn(first.startLsn), end: parseLsn(last.endLsn) }
}

async function historyRanges(repository: WalRepository, timeline: number): Promise<TimelineRange[]> {
  const text = (await fetchWalBytes(repository, historyFileName(timeline))).toString('utf8')
  return timelineRanges(parseTimelineHistory(text, timeline), timeline)
}

/** The timelines recovery follows: the named one's history, latest's newest history holding the backup's, or the backup's alone. */
async function recoveryPath(repository: WalRepository, archived: readonly string[], settings: RecoverySettings, backup: BackupWal): Promise<TimelineRange[]> {
  const own: TimelineRange[] = [{ timeline: backup.timeline, begin: 0n, end: undefined }]
  const wanted = settings.targetTimeline ?? 'latest'
  if (wanted === 'current' || wanted === backup.timeline) {
    return own
  }
  if (typeof wanted === 'number') {
    if (!archived.includes(historyFileName(wanted))) {
      throw new PitrWalGapError(
        `timeline ${wanted} was named but the repository ${repository.location} has no ${historyFileName(wanted)}; nothing was changed`,
        [historyFileName(wanted)]
      )
    }
    const ranges = await historyRanges(repository, wanted)
    const own = ranges.find((range) => range.timeline === backup.timeline)
    if (!own || (own.end !== undefined && own.end < backup.end)) {
      throw new PitrPreflightError(`timeline ${wanted} does not descend from the backup's timeline ${backup.timeline} after the backup's end; nothing was changed`)
    }
    return ranges.filter((range) => range.timeline >= backup.timeline)
  }
  const newest = archived
    .filter((name) => isHistoryFileName(name))
    .map((name) => parseInt(name.slice(0, 8), 16))
    .filter((timeline) => timeline > backup.timeline)
    .sort((a, b) => b - a)
  for (const timeline of newest) {
    const ranges = await historyRanges(repository, timeline)
    const own = ranges.find((range) => range.timeline === backup.timeline)
    if (own && (own.end === undefined || own.end >= backup.end)) {
      return ranges.filter((range) => range.timeline >= backup.timeline)
    }
  }
  return own
}

/** STOP TIME of the backup history file the server archived at the backup's end, when it is there. */
async function backupStopTime(repository: WalRepository, archived: readonly string[], backup: BackupWal, segmentSize: number): Promise<Date | undefined> {
  const name = backupHistoryFileName(backup.timeline, backup.start, segmentSize)
  if (!archived.includes(name)) {
    return undefined
  }
  const text = (await fetchWalBytes(repository, name)).toString('utf8')
  const stop = /^STOP TIME: (.+)$/m.exec(text)?.[1]
  const instant = stop === undefined ? Number.NaN : Date.parse(stop.replace(' ', 'T').replace(/ UTC$/, 'Z').replace(/ GMT$/, 'Z'))
  return Number.isNaN(instant) ? undefined : new Date(instant)
}

async function checkTargetAfterBackup(request: PreflightRequest, repository: WalRepository, archived: readonly string[], backup: BackupWal, segmentSize: number): Promise<Lsn> {
  const target = request.settings.target
  if (target?.kind === 'lsn') {
    const lsn = parseLsn(target.lsn)
    if (lsn < backup.end) {
      throw new PitrTargetBeforeBackupError(
        `the target LSN ${target.lsn} is before the backup's end ${formatLsn(backup.end)}: recovery from this backup cannot stop there; use an older backup; nothing was changed`
      )
    }
    return lsn + 1n
  }
  if (target?.kind === 'time') {
    const stop = await backupStopTime(repository, archived, backup, segmentSize)
    const wanted = parseRecoveryTime(target.time).instant
    if (stop && wanted < stop) {
      throw new PitrTargetBeforeBackupError(
        `the target time ${target.time} is before the backup ended (${stop.toISOString()}): recovery from this backup cannot stop there; use an older backup; nothing was changed`
      )
    }
  }
  return backup.end
}

/** Runs the preflight; throws PitrPreflightError, PitrWalGapError or PitrTargetBeforeBackupError. */
export async function pitrPreflight(request: PreflightRequest): Promise<PitrPreflight> {
  const backup = await verifiedBackupWal(request)
  const repository = request.walRepository ?? openWalRepository(request.repo)
  const identity = await repository.readIdentity()
  const segmentSize = identity?.segmentSize ?? DEFAULT_SEGMENT_SIZE
  const archived = await repository.list()
  const path = await recoveryPath(repository, archived, request.settings, backup)
  const requiredEnd = await checkTargetAfterBackup(request, repository, archived, backup, segmentSize)
  const chain = checkWalChain({ archived, segmentSize, path, start: backup.start, requiredEnd: requiredEnd > backup.end ? requiredEnd : backup.end })
  if (chain.missing.length > 0) {
    const upTo = requiredEnd > backup.end ? `the target ${formatLsn(requiredEnd - 1n)}` : `the backup's end ${formatLsn(backup.end)}`
    throw new PitrWalGapError(
      `the repository ${repository.location} lacks WAL from the backup's start ${formatLsn(backup.start)} to ${upTo}: missing ${chain.missing.join(', ')}; nothing was changed`,
      chain.missing
    )
  }
  if (chain.holes.length > 0) {
    throw new PitrWalGapError(
      `the repository ${repository.location} has a gap after ${chain.last ?? 'the backup'}: missing ${chain.holes.join(', ')} while later WAL is archived (recovery would stop at the gap); nothing was changed`,
      chain.holes
    )
  }
  const timelines = path.map((range) => range.timeline)
  request.onMessage?.(`step 1: the repository ${repository.location} holds an unbroken WAL chain from the backup's start to ${chain.last ?? '?'} (timelines ${timelines.join(', ')})`)
  return {
    backupTimeline: backup.timeline,
    backupStart: formatLsn(backup.start),
    backupEnd: formatLsn(backup.end),
    checkedSegments: archived.length,
    lastSegment: chain.last,
    timelines,
  }
}
