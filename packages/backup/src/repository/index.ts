// Backups in a repository (a directory or S3): backups/<id>/data/ and backups/<id>/backup.json.
export { BackupRepository } from './backup-repository.js'
export type { BackupFile } from './backup-repository.js'
export { readArchivedWal } from './archived-wal.js'
export type { ArchivedWal } from './archived-wal.js'
export {
  backupWalCoverage,
  recoveryPathOf,
  coverageReaches,
  coverageGoesBeyondEnd,
  segmentEndPoint,
} from './wal-coverage.js'
export type { ArchivedWalView, BackupWalSpan, BackupWalCoverage, WalPoint } from './wal-coverage.js'
export { chooseBackupForTarget, pickBackupForTarget, describePick } from './pick-backup.js'
export type {
  BackupTargetRequest,
  PassedOverBackup,
  PickedBackup,
  PickBackupOptions,
  WalForChoice,
} from './pick-backup.js'
export { planExpire, keptBackups, checkRetentionPolicy, DEFAULT_UNFINISHED_GRACE_MS } from './expire-plan.js'
export type { ExpirePlan, ExpirePlanInput, RetentionPolicy, UnfinishedBackup } from './expire-plan.js'
export { expireRepository } from './expire.js'
export type { ExpireOptions, ExpireResult } from './expire.js'
export { listBackups } from './backup-listing.js'
export type { BackupListing, ListedBackup } from './backup-listing.js'
export { readUnfinishedBackups, backupIdTime } from './unfinished-backups.js'
export { openRepositoryCatalog } from './open-catalog.js'
export type { OpenedCatalog } from './open-catalog.js'
