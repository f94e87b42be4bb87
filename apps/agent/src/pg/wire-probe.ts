// The PgProbe over @tidemark/wire: one short connection per scrape, with a deadline.
import { columnValue, connect, type Connection, type QueryResult } from '@tidemark/wire'
import type { ArchiverStatus, PgProbe } from './pg-probe.js'

const CONNECT_TIMEOUT_SECONDS = 5

const ARCHIVER_SQL = `SELECT a.archived_count::text AS archived_count, a.last_archived_wal,
  extract(epoch FROM a.last_archived_time)::text AS last_archived_time,
  a.failed_count::text AS failed_count, a.last_failed_wal,
  extract(epoch FROM a.last_failed_time)::text AS last_failed_time,
  (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END)::text AS current_lsn,
  pg_is_in_recovery()::text AS in_recovery,
  (SELECT setting FROM pg_settings WHERE name = 'wal_segment_size') AS segment_size
FROM pg_stat_archiver AS a`

const WAL_SIZE_SQL = 'SELECT coalesce(sum(size), 0)::text AS wal_bytes FROM pg_ls_waldir()'

export function wireProbe(conninfo: string): PgProbe {
  return {
    async archiverStatus(): Promise<ArchiverStatus> {
      const connection = await connect({ connectionString: conninfo, connectTimeoutSeconds: CONNECT_TIMEOUT_SECONDS, fallbackApplicationName: 'tidemark-agent' })
      try {
        const [archiver] = await connection.query(ARCHIVER_SQL)
        const value = (name: string): string | undefined => (archiver ? (columnValue(archiver, 0, name) ?? undefined) : undefined)
        const number = (name: string): number | undefined => {
          const text = value(name)
          return text === undefined ? undefined : Number(text)
        }
        return {
          archivedCount: number('archived_count') ?? 0,
          lastArchivedWal: value('last_archived_wal'),
          lastArchivedTime: number('last_archived_time'),
          failedCount: number('failed_count') ?? 0,
          lastFailedWal: value('last_failed_wal'),
          lastFailedTime: number('last_failed_time'),
          currentLsn: value('current_lsn') ?? '0/0',
          inRecovery: value('in_recovery') === 'true',
          segmentSize: number('segment_size') ?? 16 * 1024 * 1024,
          walBytes: await walBytes(connection),
        }
      } finally {
        await connection.close()
      }
    },
  }
}

async function walBytes(connection: Connection): Promise<number | undefined> {
  let results: QueryResult[]
  try {
    results = await connection.query(WAL_SIZE_SQL)
  } catch {
    return undefined
  }
  const [result] = results
  const text = result ? columnValue(result, 0, 'wal_bytes') : undefined
  return typeof text === 'string' ? Number(text) : undefined
}
