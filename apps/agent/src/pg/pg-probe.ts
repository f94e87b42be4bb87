// What /metrics asks the database: pg_stat_archiver, the current WAL position, pg_wal's size.
export interface ArchiverStatus {
  readonly archivedCount: number
  readonly lastArchivedWal: string | undefined
  /** Unix seconds. */
  readonly lastArchivedTime: number | undefined
  readonly failedCount: number
  readonly lastFailedWal: string | undefined
  readonly lastFailedTime: number | undefined
  /** pg_current_wal_lsn(), or the last received LSN on a standby. */
  readonly currentLsn: string
  readonly inRecovery: boolean
  readonly segmentSize: number
  /** Sum of pg_ls_waldir(); undefined without the privilege (pg_monitor) to read it. */
  readonly walBytes: number | undefined
}

export interface PgProbe {
  archiverStatus(): Promise<ArchiverStatus>
}
