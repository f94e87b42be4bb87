export { BackupCatalog, BACKUPS_DIR, BACKUP_RECORD_FILE, BACKUP_DATA_DIR } from './catalog/index.js'
export { newBackupId, isBackupId, checkBackupId, formatBackupRecord, parseBackupRecord, directorySize } from './catalog/index.js'
export type { BackupRecord } from './catalog/index.js'
export { BackupRepository } from './repository/index.js'
export type { BackupFile } from './repository/index.js'
export {
  readArchivedWal,
  backupWalCoverage,
  recoveryPathOf,
  chooseBackupForTarget,
  pickBackupForTarget,
  describePick,
} from './repository/index.js'
export type {
  ArchivedWal,
  ArchivedWalView,
  BackupWalSpan,
  BackupWalCoverage,
  WalPoint,
  BackupTargetRequest,
  PassedOverBackup,
  PickedBackup,
  PickBackupOptions,
  WalForChoice,
} from './repository/index.js'
export { NoBackupForTargetError, ExpireRefusedError } from './errors.js'
export {
  planExpire,
  keptBackups,
  checkRetentionPolicy,
  DEFAULT_UNFINISHED_GRACE_MS,
  expireRepository,
  listBackups,
  readUnfinishedBackups,
  openRepositoryCatalog,
} from './repository/index.js'
export type {
  ExpirePlan,
  ExpirePlanInput,
  RetentionPolicy,
  UnfinishedBackup,
  ExpireOptions,
  ExpireResult,
  BackupListing,
  ListedBackup,
  OpenedCatalog,
} from './repository/index.js'
export { BASEBACKUP_DEFAULTS } from './basebackup-options.js'
export type {
  BackupFormat,
  BackupMessage,
  BackupProgress,
  BaseBackupOptions,
  BaseBackupResult,
  CheckpointMode,
  WalMethod,
} from './basebackup-options.js'
export { checkBaseBackupOptions, checkServerSupports } from './basebackup-checks.js'
export {
  COMPRESSION_METHODS,
  GZIP_DEFAULT,
  NO_COMPRESSION,
  checkCompressionForFormat,
  compressionSuffix,
  parseCompressionSpec,
} from './compression-spec.js'
export type { CompressionMethod, CompressionSpec } from './compression-spec.js'
export { canonicalPath, mapTablespace, parseTablespaceMapping, parseTablespaceMappings } from './tablespace-mapping.js'
export type { TablespaceMapping } from './tablespace-mapping.js'
export { MAX_RATE_MAX_KB, MAX_RATE_MIN_KB, parseMaxRate } from './max-rate.js'
export { ProgressReporter, formatProgressBar, formatProgressLine } from './progress.js'
export type { ProgressSink, ProgressState } from './progress.js'
export { CleanupTracker, INCOMPLETE_MARKER } from './cleanup-tracker.js'
export { checkTargetDirectory, prepareTargetDirectory } from './target-directory.js'
export { syncTree } from './durable-sync.js'
export { defaultAsideDir, linkedTablespaces, moveAside, putBack, relinkTablespace } from './move-aside.js'
export type { MoveAsidePlan, MovedPath } from './move-aside.js'
export { runningPostmasterPid } from './postmaster.js'
export { dataDirMajor, findPgCtl, serverIdentity, startServer } from './pg-ctl.js'
export type { StartServerOptions } from './pg-ctl.js'
export {
  BackupFailedError,
  BackupInterruptedError,
  BackupUsageError,
  CompressionSpecError,
  MaxRateError,
  TablespaceConflictError,
  TablespaceMappingError,
  TargetNotEmptyError,
} from './errors.js'
// The manifest checksum algorithms a basebackup request names.
export { parseChecksumAlgorithm } from '@tidemark/archive'
export type { ChecksumAlgorithm } from '@tidemark/archive'
export { extractBackup } from './extract-backup.js'
export type { ExtractBackupOptions, ExtractBackupResult, ExtractProgress, ExtractedArchive } from './extract-backup.js'
export { findBackupLayout } from './extract-sources.js'
export type { BackupArchive, BackupArchiveRole, BackupLayout } from './extract-sources.js'
export { verifyBackup } from './verify-backup.js'
export type { VerifyBackupOptions, VerifyBackupResult, VerifyProgress } from './verify-backup.js'
export type { BackupProblem, BackupProblemKind } from './verify-problem.js'
export { restoreBackup } from './restore-backup.js'
export type { RestoreBackupOptions, RestoreBackupResult } from './restore-backup.js'
export { BackupSourceError, RestoreFailedError, RestoreServerRunningError, TablespaceLocationError, VerifyFailedError } from './errors.js'
export { runBaseBackup } from './basebackup.js'
export { backUpToRepository, backupRecordOf, compressionLabel } from './basebackup-repository.js'
export type { RepositoryBackupOptions, RepositoryBackupResult } from './basebackup-repository.js'
export type { RepositoryTarget } from './basebackup-options.js'
export { checkRepositorySystem, repositorySystemIdentifier } from './basebackup-repository-checks.js'
export { openBackupRepository, S3_PART_SIZE_ENV } from './repository-open.js'
export type { OpenedBackupRepository, RepositoryFlags } from './repository-open.js'
export { describeBackupSource } from './extract-sources.js'
export type { BackupSource } from './extract-sources.js'
export type { RepositoryBackupSource } from './repository-source.js'
export { BackupRepositoryMismatchError } from './errors.js'
export { runPitr, PITR_START_LOG } from './pitr.js'
export type { PitrOptions, PitrPreflight, PitrResult, PitrStop, PitrStopReason } from './pitr-options.js'
export { readRecoveryLog } from './pitr-server-log.js'
export type { RecoveryEnd, RecoveryLogFacts } from './pitr-server-log.js'
export { checkWalChain } from './pitr-wal-chain.js'
export type { WalChain, WalChainRequest } from './pitr-wal-chain.js'
export { resumeRecovery } from './resume-recovery.js'
export type { ResumeOptions, ResumeResult } from './resume-recovery.js'
export {
  PitrPreflightError,
  PitrRecoveryFailedError,
  PitrTargetBeforeBackupError,
  PitrTargetNotReachedError,
  PitrWalGapError,
  ResumeFailedError,
} from './errors.js'
