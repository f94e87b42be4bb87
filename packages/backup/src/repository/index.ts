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
