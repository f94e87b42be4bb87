// pitr --repo without --backup: the repository's backup a recovery to the target starts from, chosen
// by pickBackupForTarget (the newest that ends before the target on its timeline with the WAL to get
// there). The server's timezone is not known before a backup is laid down: a target time without a
// zone is read in UTC for the choice only (the recovery itself reads it in the server's zone).
import { resolveRecoverySettings, type RecoverySettings } from '@tidemark/recovery'
import type { WalRepository } from '@tidemark/wal'
import type { BackupRepository } from './repository/backup-repository.js'
import { describePick, pickBackupForTarget } from './repository/pick-backup.js'
import type { RepositoryBackupSource } from './repository-source.js'
import type { PitrOptions } from './pitr-options.js'

const GUESS = { flavor: 'postgresql', major: 18 } as const

function settingsForChoice(options: PitrOptions): { settings: RecoverySettings; timeZone: string | undefined } {
  const input = { ...options.target, restoreCommand: options.restoreCommand }
  try {
    return { settings: resolveRecoverySettings(input, GUESS, { timeZone: undefined }).settings, timeZone: undefined }
  } catch {
    return { settings: resolveRecoverySettings(input, GUESS, { timeZone: 'UTC' }).settings, timeZone: 'UTC' }
  }
}

/** The backup to recover from; NoBackupForTargetError (with every backup passed over and why) when none fits. */
export async function pickPitrBackup(
  options: PitrOptions,
  backups: BackupRepository,
  wal: WalRepository
): Promise<RepositoryBackupSource & { readonly reason: string }> {
  const { settings, timeZone } = settingsForChoice(options)
  const picked = await pickBackupForTarget({
    backups,
    wal,
    target: settings.target,
    targetTimeline: settings.targetTimeline,
    timeZone,
  })
  const zone = timeZone === undefined ? '' : ' (the target time has no zone: read in UTC for this choice)'
  return { repository: backups, id: picked.record.id, reason: `${describePick(picked)}${zone}` }
}
