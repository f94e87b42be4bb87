// The problems `tidemark verify` reports: each names the file it is about.

export type BackupProblemKind =
  /** backup_manifest is missing, unreadable or does not parse (or its own checksum is wrong). */
  | 'manifest'
  /** An archive cannot be read to its end (truncated, corrupt, not an archive). */
  | 'archive'
  /** A file the manifest lists is not in the backup. */
  | 'missing'
  /** A file is in the backup but not in the manifest (and not one PostgreSQL leaves out). */
  | 'extra'
  | 'size-mismatch'
  | 'checksum-mismatch'
  | 'duplicate'
  /** A WAL segment needed from the start to the end LSN is not in the backup. */
  | 'wal-missing'
  /** A needed WAL segment is there but damaged: header, page magic, page addresses, size, system. */
  | 'wal-corrupt'

export interface BackupProblem {
  readonly kind: BackupProblemKind
  /** Relative to the backup: `base/1/1259`, `pg_wal/000000010000000000000002`, `base.tar.gz`, `backup_manifest`. */
  readonly file: string
  /** One line that says what is wrong. */
  readonly detail: string
}
