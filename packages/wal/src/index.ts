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
