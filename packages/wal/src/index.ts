// @tidemark/wal: WAL names and LSN arithmetic, timeline histories, WAL page headers, and the WAL
// repository behind tidemark-wal (push, get, cleanup).
export {
  WalNameError,
  LsnError,
  SegmentSizeError,
  TimelineHistoryError,
  WalPageError,
  WalUsageError,
  WalSourceError,
  WalContentMismatchError,
  WalConflictError,
  WalSystemMismatchError,
  WalSegmentSizeMismatchError,
  WalNotFoundError,
  WalCorruptError,
  WalRepositoryError,
  WalCodecError,
  WalIoError,
} from './errors.js'
export { parseLsn, formatLsn, isLsn, assertLsn, lsnDiff, lsnAdd, compareLsn, MAX_LSN, INVALID_LSN } from './lsn.js'
export type { Lsn } from './lsn.js'
export {
  isValidSegmentSize,
  checkSegmentSize,
  segmentsPerLogId,
  MIN_SEGMENT_SIZE,
  MAX_SEGMENT_SIZE,
  DEFAULT_SEGMENT_SIZE,
} from './segment-size.js'
export {
  classifyWalFileName,
  parseWalFileName,
  isWalFileName,
  isSegmentFileName,
  isPartialFileName,
  isHistoryFileName,
  isBackupHistoryFileName,
  historyFileName,
  checkTimeline,
  SEGMENT_NAME_LENGTH,
} from './wal-file-name.js'
export type { WalFileKind, WalFileName } from './wal-file-name.js'
export {
  segmentNumberOfLsn,
  segmentNumberOfEndLsn,
  segmentOffset,
  segmentStartLsn,
  maxSegmentNumber,
  segmentFileName,
  segmentFileNameOfLsn,
  parseSegmentFileName,
  nextSegmentFileName,
  previousSegmentFileName,
  segmentRange,
  segmentFileNamesBetween,
  backupHistoryFileName,
} from './segment.js'
export type { SegmentId } from './segment.js'
export { parseTimelineHistory, formatTimelineHistory, timelineRanges, timelineOfLsn } from './timeline-history.js'
export type { TimelineHistoryEntry, TimelineRange } from './timeline-history.js'
export {
  readWalPageHeader,
  readSegmentHeader,
  walkWalPages,
  walFormatOfMagic,
  POSTGRESQL_WAL_PAGE_MAGIC,
  OPENGAUSS_WAL_PAGE_MAGIC,
  SHORT_PAGE_HEADER_SIZE,
  LONG_PAGE_HEADER_SIZE,
  XLP_FIRST_IS_CONTRECORD,
  XLP_LONG_HEADER,
  XLP_BKP_REMOVABLE,
  XLP_FIRST_IS_OVERWRITE_CONTRECORD,
  XLP_ALL_FLAGS,
} from './page-header.js'
export type { WalFormat, WalPageHeader, WalLongPageHeader, WalSegmentHeader, SegmentHeaderExpectations, WalPageWalk } from './page-header.js'
export { walDirectoryName } from './wal-flavor.js'
export type { WalFlavor } from './wal-flavor.js'
export { parseCompressionSpec, isCompression, compressWal, decompressWal, WAL_COMPRESSIONS } from './compression.js'
export type { WalCompression, CompressionSpec } from './compression.js'
export { encodeArchivedHeader, decodeArchivedHeader, MAX_HEADER_LENGTH } from './archived-file.js'
export type { ArchivedWalInfo } from './archived-file.js'
export type { WalRepository, RepositoryIdentity, ArchivedWal } from './wal-repository.js'
export { DirectoryWalRepository, IDENTITY_FILE } from './directory-repository.js'
export { openWalRepository, REPO_ENV, TOKEN_ENV, TOKEN_FILE_ENV, HTTP_TIMEOUT_ENV, HTTP_RETRIES_ENV } from './open-repository.js'
export type { OpenRepositoryOptions } from './open-repository.js'
export { HttpWalRepository } from './http-repository.js'
export { StorageWalRepository } from './storage-repository.js'
export { LazyStorageWalRepository } from './storage-repository-open.js'
export type { WalS3Flags } from './storage-repository-open.js'
export { walInventory } from './wal-inventory.js'
export type { WalInventory, TimelineWal, SegmentRun } from './wal-inventory.js'
export { archiveLag } from './archive-lag.js'
export type { ArchiveLag } from './archive-lag.js'
export type { HttpRepositoryOptions } from './http-repository.js'
export { writeFileDurably, makeDirectoryDurably, syncDirectory, removeTemporaryFilesSync } from './durable-file.js'
export type { DurableWriteOptions, DurableWriteOutcome } from './durable-file.js'
export { pushWal } from './push-wal.js'
export type { PushWalOptions, PushWalResult } from './push-wal.js'
export { getWal, fetchWalBytes } from './get-wal.js'
export type { GetWalOptions, GetWalResult } from './get-wal.js'
export { restoreWal } from './restore-wal.js'
export type { RestoreWalOptions, RestoreWalResult } from './restore-wal.js'
export { spoolDirectory, prefetchWindow, takeFromSpool, pruneSpool, fillSpool, makeSpool, removeSpool, claimSpoolLock, livePrefetcher, SPOOL_DIR_NAME } from './prefetch-spool.js'
export { cleanupWal } from './cleanup-wal.js'
export type { CleanupWalOptions, CleanupWalResult } from './cleanup-wal.js'
