// Which backup of a repository a point-in-time recovery starts from when none is named: the newest one
// that ends before the target on the target's timeline and whose archived WAL gets it there.
//
// - no target, or immediate: the newest backup whose WAL makes it consistent;
// - time: the newest whose record ends at or before the target time;
// - LSN: the newest ending at or before the target LSN whose unbroken WAL reaches that LSN;
// - restore point name or xid: where they lie is not known before replay, so the newest backup with WAL
//   archived after the segment it ends in (a restore point made after a backup is in later WAL); one
//   made before that backup ended needs --backup with an older one.
import { parseRecoveryTime, type RecoveryTarget, type TargetTimeline } from '@tidemark/recovery'
import { formatLsn, historyFileName, parseLsn, type WalRepository } from '@tidemark/wal'
import type { BackupRecord } from '../catalog/backup-record.js'
import { NoBackupForTargetError } from '../errors.js'
import { readArchivedWal, type ArchivedWal } from './archived-wal.js'
import type { BackupRepository } from './backup-repository.js'
import {
  backupWalCoverage,
  coverageGoesBeyondEnd,
  coverageReaches,
  recoveryPathOf,
  type ArchivedWalView,
  type BackupWalCoverage,
} from './wal-coverage.js'

/** The target as pitr resolves it (RecoverySettings' target and targetTimeline). */
export interface BackupTargetRequest {
  /** Absent: the end of the archived WAL. */
  readonly target?: RecoveryTarget | undefined
  /** latest (the default), current, or a timeline number. */
  readonly targetTimeline?: TargetTimeline | undefined
  /** The zone a target time without one is read in (the server's timezone). */
  readonly timeZone?: string | undefined
}

/** A backup passed over, and why. */
export interface PassedOverBackup {
  readonly id: string
  readonly reason: string
}

export interface PickedBackup {
  readonly record: BackupRecord
  readonly coverage: BackupWalCoverage
  /** The timeline the target was looked for on (undefined with targetTimeline current: each backup's own). */
  readonly timeline: number | undefined
  /** Newer backups that did not qualify, newest first. */
  readonly passedOver: readonly PassedOverBackup[]
}

/** What choosing needs: the repository's WAL (with its identity, to pass over another system's backups). */
export interface WalForChoice extends ArchivedWalView {
  readonly identity?: { readonly systemIdentifier: string } | undefined
  readonly location?: string | undefined
}

/** latest: the highest timeline a history file or a backup names (the server's latest when they run on). */
function targetTimelineOf(records: readonly BackupRecord[], wal: ArchivedWalView, wanted: TargetTimeline): number | undefined {
  if (wanted === 'current') {
    return undefined
  }
  if (typeof wanted === 'number') {
    return wanted
  }
  return Math.max(1, ...wal.histories.keys(), ...records.map((record) => record.timeline))
}

function describeTarget(target: RecoveryTarget | undefined): string {
  switch (target?.kind) {
    case undefined:
      return 'the end of the archived WAL'
    case 'immediate':
      return 'a consistent state'
    case 'time':
      return `the target time ${target.time}`
    case 'lsn':
      return `the target LSN ${target.lsn}`
    case 'name':
      return `the restore point "${target.name}"`
    case 'xid':
      return `transaction ${target.xid}`
  }
}

/** Why a consistent backup cannot reach the target, or undefined when it can. */
function targetProblem(record: BackupRecord, coverage: BackupWalCoverage, request: BackupTargetRequest, segmentSize: number): string | undefined {
  const target = request.target
  const reached = coverage.recoverableTo ? `its WAL reaches ${coverage.recoverableTo.lsn} only` : 'its WAL does not go on'
  switch (target?.kind) {
    case undefined:
    case 'immediate':
      return undefined
    case 'time': {
      const wanted = parseRecoveryTime(target.time, request.timeZone).instant
      return Date.parse(record.endTime) <= wanted.getTime() ? undefined : `it ends at ${record.endTime}, after the target time`
    }
    case 'lsn': {
      const wanted = parseLsn(target.lsn)
      if (parseLsn(record.endLsn) > wanted) {
        return `it ends at ${record.endLsn}, after the target LSN`
      }
      return coverageReaches(coverage, wanted) ? undefined : `${reached}, before the target LSN`
    }
    case 'name':
    case 'xid':
      return coverageGoesBeyondEnd(coverage, segmentSize) ? undefined : `no WAL is archived after the segment it ends in (${coverage.endSegment})`
  }
}

function noBackupError(
  records: readonly BackupRecord[],
  wal: WalForChoice,
  request: BackupTargetRequest,
  timeline: number | undefined,
  passedOver: readonly PassedOverBackup[]
): NoBackupForTargetError {
  const where = wal.location ? ` in ${wal.location}` : ''
  const oldest = records[0]
  if (!oldest) {
    return new NoBackupForTargetError(`there is no finished backup${where} to recover from; take one with tidemark basebackup --repo`)
  }
  const on = timeline === undefined ? '' : ` on timeline ${timeline}`
  const reasons = passedOver.slice(0, 3).map((passed) => `${passed.id}: ${passed.reason}`)
  const more = passedOver.length > 3 ? `; and ${passedOver.length - 3} more` : ''
  return new NoBackupForTargetError(
    `no backup${where} can recover to ${describeTarget(request.target)}${on}: the oldest, ${oldest.id}, ends at ` +
      `${oldest.endTime} (LSN ${oldest.endLsn}, timeline ${oldest.timeline}) (${reasons.join('; ')}${more}); nothing was changed`
  )
}

/** The choice over a repository's records (any order) and its WAL; throws NoBackupForTargetError. */
export function chooseBackupForTarget(records: readonly BackupRecord[], wal: WalForChoice, request: BackupTargetRequest = {}): PickedBackup {
  const oldestFirst = [...records].sort((a, b) => Date.parse(a.endTime) - Date.parse(b.endTime) || a.id.localeCompare(b.id))
  const wanted = request.targetTimeline ?? 'latest'
  const timeline = targetTimelineOf(oldestFirst, wal, wanted)
  const passedOver: PassedOverBackup[] = []
  for (const record of [...oldestFirst].reverse()) {
    const pass = (reason: string): void => {
      passedOver.push({ id: record.id, reason })
    }
    if (wal.identity && wal.identity.systemIdentifier !== record.systemIdentifier) {
      pass(`it is of database system ${record.systemIdentifier}, the WAL of ${wal.identity.systemIdentifier}`)
      continue
    }
    const pathTimeline = timeline ?? 'current'
    if (!recoveryPathOf(record, wal, pathTimeline)) {
      pass(
        timeline !== undefined && timeline !== 1 && !wal.histories.has(timeline)
          ? `the archive has no ${historyFileName(timeline)}, so recovery from its timeline ${record.timeline} cannot reach timeline ${timeline}`
          : `timeline ${String(timeline)} does not descend from its timeline ${record.timeline} after its end ${record.endLsn}`
      )
      continue
    }
    const coverage = backupWalCoverage(record, wal, pathTimeline)
    if (!coverage.consistent) {
      pass(`WAL is missing from ${coverage.missingFrom ?? coverage.startSegment}, so it cannot become consistent`)
      continue
    }
    const problem = targetProblem(record, coverage, request, wal.segmentSize)
    if (problem) {
      pass(problem)
      continue
    }
    return { record, coverage, timeline, passedOver }
  }
  throw noBackupError(oldestFirst, wal, request, timeline, passedOver)
}

export interface PickBackupOptions extends BackupTargetRequest {
  readonly backups: BackupRepository
  readonly wal: WalRepository
}

/** Reads the repository's finished backups and WAL, then chooses (see the file comment). */
export async function pickBackupForTarget(options: PickBackupOptions): Promise<PickedBackup & { readonly wal: ArchivedWal }> {
  const records = await options.backups.list()
  const wal = await readArchivedWal(options.wal)
  return { ...chooseBackupForTarget(records, { ...wal, location: options.backups.url }, options), wal }
}

/** One line for messages: which backup was picked and why it fits. */
export function describePick(picked: PickedBackup): string {
  const { record, coverage } = picked
  const reach = coverage.recoverableTo
    ? `; its WAL reaches ${coverage.recoverableTo.lsn} on timeline ${coverage.recoverableTo.timeline}`
    : ''
  return `backup ${record.id} (ended ${record.endTime} at ${formatLsn(parseLsn(record.endLsn))} on timeline ${record.timeline})${reach}`
}
