// Errors of @tidemark/archive. Every class has a stable `code` (listed in docs/errors.md) and the
// exit status the apps use for it: 2 usage, 3 refused (nothing changed), 4 failed.

/** A compression specification that cannot be used (unknown method, level out of range). */
export class CompressionSpecError extends Error {
  readonly code: string = 'TIDEMARK_ERR_ARCHIVE_COMPRESSION_SPEC'
  readonly exitCode: number = 2
}

/** The archive ends in the middle of a header or an entry's data, or before its end marker. */
export class ArchiveTruncatedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_ARCHIVE_TRUNCATED'
  readonly exitCode: number = 4
  constructor(
    readonly archive: string,
    readonly offset: number,
    what = 'archive'
  ) {
    super(`${archive}: truncated ${what} at byte offset ${offset}; the file is incomplete, take or copy it again`)
  }
}

/** A header or structure in the archive is invalid (bad checksum, bad number, unknown format). */
export class ArchiveCorruptError extends Error {
  readonly code: string = 'TIDEMARK_ERR_ARCHIVE_CORRUPT'
  readonly exitCode: number = 4
  constructor(
    readonly archive: string,
    readonly offset: number,
    reason = 'invalid header',
    options?: ErrorOptions
  ) {
    super(`${archive}: corrupt archive at byte offset ${offset}: ${reason}`, options)
  }
}

/** The bytes are no format this package reads (tar, gs_tar, gzip, lz4, zstd). */
export class UnknownFormatError extends Error {
  readonly code: string = 'TIDEMARK_ERR_ARCHIVE_UNKNOWN_FORMAT'
  readonly exitCode: number = 4
  constructor(readonly archive: string, detail = '') {
    super(`${archive}: not a tar, gs_tar, gzip, lz4 or zstd archive${detail ? ` (${detail})` : ''}`)
  }
}

/** Compressed data that does not decode (bad frame, bad checksum, cut short). */
export class DecompressError extends Error {
  readonly code: string = 'TIDEMARK_ERR_ARCHIVE_DECOMPRESS'
  readonly exitCode: number = 4
}

/** An entry written to a tar does not carry the bytes its header announced. */
export class EntrySizeError extends Error {
  readonly code: string = 'TIDEMARK_ERR_ARCHIVE_ENTRY_SIZE'
  readonly exitCode: number = 4
  constructor(readonly entry: string, readonly expected: number, readonly actual: number) {
    super(`tar entry "${entry}" announced ${expected} bytes but its source gave ${actual}; was the file changed while it was read?`)
  }
}

/** An entry name or link that would write outside the extraction directory. */
export class UnsafeEntryError extends Error {
  readonly code: string = 'TIDEMARK_ERR_ARCHIVE_UNSAFE_ENTRY'
  readonly exitCode: number = 3
  constructor(readonly archive: string, readonly entry: string, reason: string) {
    super(`${archive}: refused entry "${entry}": ${reason}; nothing outside the target directory is written`)
  }
}

/** Extraction would overwrite something that already exists. */
export class ExtractConflictError extends Error {
  readonly code: string = 'TIDEMARK_ERR_ARCHIVE_EXTRACT_CONFLICT'
  readonly exitCode: number = 3
  constructor(readonly path: string) {
    super(`"${path}" already exists; extract into an empty directory`)
  }
}

/** A backup_manifest that is not valid JSON of the PostgreSQL manifest format. */
export class ManifestFormatError extends Error {
  readonly code: string = 'TIDEMARK_ERR_ARCHIVE_MANIFEST_FORMAT'
  readonly exitCode: number = 4
}

/** A backup_manifest whose Manifest-Checksum does not match its contents. */
export class ManifestChecksumError extends Error {
  readonly code: string = 'TIDEMARK_ERR_ARCHIVE_MANIFEST_CHECKSUM'
  readonly exitCode: number = 4
  constructor(readonly expected: string, readonly actual: string) {
    super(`backup_manifest checksum mismatch: the manifest says ${expected}, its contents give ${actual}; the manifest was altered or damaged`)
  }
}
