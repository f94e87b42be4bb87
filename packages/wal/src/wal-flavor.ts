// The two server families whose WAL this package reads. They name segments the same way; they
// differ in the page magic and in the WAL directory's name.

export type WalFlavor = 'postgresql' | 'opengauss'

/** The WAL directory inside a data directory: pg_wal (PostgreSQL 10+) or pg_xlog (openGauss). */
export function walDirectoryName(flavor: WalFlavor): 'pg_wal' | 'pg_xlog' {
  return flavor === 'opengauss' ? 'pg_xlog' : 'pg_wal'
}
