// Errors of @tidemark/wal. Every class has a stable `code` (listed in docs/errors.md) and the exit
// status tidemark-wal uses for it: 1 not found, 2 usage, 3 refused (nothing changed), 4 failed.

/** A string that is not a WAL file name (segment, .partial, .history or .backup). */
export class WalNameError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_BAD_NAME'
  readonly exitCode: number = 2
}

/** A string that is not an LSN of the form X/Y. */
export class LsnError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_BAD_LSN'
  readonly exitCode: number = 2
}

/** A wal_segment_size that is not a power of two between 1 MB and 1 GB. */
export class SegmentSizeError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_BAD_SEGMENT_SIZE'
  readonly exitCode: number = 2
}

/** A timeline history file that does not parse. */
export class TimelineHistoryError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_BAD_HISTORY'
  readonly exitCode: number = 4
}

/** Bytes that are not a WAL page header, or pages that do not follow each other. */
export class WalPageError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_BAD_PAGE'
  readonly exitCode: number = 4
}

/** A bad or missing option: no repository, an unknown compression, a bad prefetch count. */
export class WalUsageError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_USAGE'
  readonly exitCode: number = 2
}

/** The file to push does not exist or cannot be read. */
export class WalSourceError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_SOURCE'
  readonly exitCode: number = 4
}

/** The name pushed does not match the segment's own page header (wrong file for %f). */
export class WalContentMismatchError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_CONTENT_MISMATCH'
  readonly exitCode: number = 3
}

/** The repository already holds this name with different content; the archived copy is kept. */
export class WalConflictError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_CONFLICT'
  readonly exitCode: number = 3
  constructor(
    readonly fileName: string,
    readonly archivedChecksum: string,
    readonly pushedChecksum: string
  ) {
    super(
      `${fileName} is already archived with different content (archived sha256 ${archivedChecksum}, ` +
        `pushed sha256 ${pushedChecksum}); the archived copy is kept`
    )
  }
}

/** The segment comes from another cluster (system identifier) than the one the repository is bound to. */
export class WalSystemMismatchError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_SYSTEM_MISMATCH'
  readonly exitCode: number = 3
  constructor(
    readonly fileName: string,
    readonly repositorySystemId: string,
    readonly segmentSystemId: string
  ) {
    super(
      `${fileName} belongs to database system ${segmentSystemId} but the repository is bound to system ` +
        `${repositorySystemId}; use another repository for this cluster`
    )
  }
}

/** The segment's size differs from the repository's wal_segment_size. */
export class WalSegmentSizeMismatchError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_SEGMENT_SIZE_MISMATCH'
  readonly exitCode: number = 3
}

/** The repository does not hold the asked file (restore_command: a routine answer). */
export class WalNotFoundError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_NOT_FOUND'
  readonly exitCode: number = 1
  constructor(readonly fileName: string) {
    super(`${fileName} not found in the repository`)
  }
}

/** An archived file whose checksum, size or compression does not check out. */
export class WalCorruptError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_CORRUPT'
  readonly exitCode: number = 4
}

/** The repository's own files (its identity file) are unreadable or of an unknown format. */
export class WalRepositoryError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_REPOSITORY'
  readonly exitCode: number = 4
}

/** A compression codec (lz4-napi, @mongodb-js/zstd) cannot be loaded. */
export class WalCodecError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_CODEC'
  readonly exitCode: number = 4
}

/** Any other I/O failure (disk full, permissions); what the run created is removed. */
export class WalIoError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_IO'
  readonly exitCode: number = 4
}
