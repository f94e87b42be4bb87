// pitr --repo without --backup: which of the repository's backups to recover from. A stand-in until
// the repository's own choice (repository/pick-backup.ts, WAL coverage and timelines) is wired in:
// the newest finished backup that ended before a target time, else the newest.
import { parseRecoveryTime } from '@tidemark/recovery'
import type { BackupRecord } from './catalog/backup-record.js'
import { BackupSourceError } from './errors.js'
import type { BackupRepository } from './repository/backup-repository.js'

export interface PickedRepositoryBackup {
  readonly record: BackupRecord
  /** One line for messages: which backup and why. */
  readonly reason: string
}

/** The backup a recovery to targetTime (or to the end of the WAL) starts from; BackupSourceError when there is none. */
export async function pickRepositoryBackup(repository: BackupRepository, targetTime?: string): Promise<PickedRepositoryBackup> {
  const newestFirst = (await repository.list()).sort((a, b) => Date.parse(b.endTime) - Date.parse(a.endTime) || b.id.localeCompare(a.id))
  if (newestFirst.length === 0) {
    throw new BackupSourceError(`the repository ${repository.url} holds no finished backup: take one with tidemark basebackup --repo`)
  }
  let instant: Date | undefined
  try {
    instant = targetTime === undefined ? undefined : parseRecoveryTime(targetTime).instant
  } catch {
    // A time without a zone is read in the server's zone later; the newest backup is the guess.
    instant = undefined
  }
  if (instant === undefined) {
    const [newest] = newestFirst as [BackupRecord]
    return { record: newest, reason: `backup ${newest.id}, the newest (ended ${newest.endTime})` }
  }
  const before = newestFirst.find((record) => Date.parse(record.endTime) <= (instant as Date).getTime())
  if (!before) {
    throw new BackupSourceError(`no backup of ${repository.url} ended before the target time ${targetTime ?? ''}: the oldest ended ${newestFirst.at(-1)?.endTime ?? '?'}`)
  }
  return { record: before, reason: `backup ${before.id}, the newest that ended (${before.endTime}) before the target time` }
}
