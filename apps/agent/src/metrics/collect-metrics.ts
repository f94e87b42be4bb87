// /metrics: the WAL pipeline as Prometheus sees it. Every source is read independently, so a
// database that is down still leaves the repository and HTTP series (and tidemark_pg_up 0).
import { statfs } from 'node:fs/promises'
import type { BackupStore } from '../backup/backup-store.js'
import { archiveLag } from '@tidemark/wal'
import type { PgProbe } from '../pg/pg-probe.js'
import type { HttpStats } from './http-stats.js'
import { counter, gauge, type MetricFamily } from './prometheus-text.js'
import type { WalPushStats } from './wal-push-stats.js'

export interface MetricSources {
  readonly pg: PgProbe | undefined
  readonly backups: Pick<BackupStore, 'list'>
  /** Undefined for object storage: no file system to measure. */
  readonly repoDir: string | undefined
  readonly http: HttpStats
  readonly walPushes: WalPushStats
  readonly now: () => Date
  /** Bounds the database probe so a hung server cannot hang a scrape. */
  readonly probeTimeoutMs?: number
}

const DEFAULT_PROBE_TIMEOUT_MS = 5000

export async function collectMetrics(sources: MetricSources): Promise<MetricFamily[]> {
  const nowSeconds = sources.now().getTime() / 1000
  const families: MetricFamily[] = []
  families.push(...(await serverFamilies(sources, nowSeconds)))
  families.push(...(await backupFamilies(sources.backups, nowSeconds)))
  if (sources.repoDir !== undefined) {
    families.push(gauge('tidemark_repository_free_bytes', 'Bytes available to the agent in the repository file system', await freeBytes(sources.repoDir)))
  }
  families.push(...sources.walPushes.families())
  families.push(...sources.http.families())
  return families
}

async function serverFamilies(sources: MetricSources, nowSeconds: number): Promise<MetricFamily[]> {
  if (!sources.pg) {
    return []
  }
  const probe = sources.pg
  let status
  try {
    status = await withTimeout(probe.archiverStatus(), sources.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS)
  } catch {
    return [gauge('tidemark_pg_up', '1 when the agent could query the database for this scrape', 0)]
  }
  const age = (time: number | undefined): number | undefined => (time === undefined ? undefined : Math.max(0, nowSeconds - time))
  const lag = archiveLag(status.currentLsn, status.lastArchivedWal, status.segmentSize)
  return [
    gauge('tidemark_pg_up', '1 when the agent could query the database for this scrape', 1),
    gauge('tidemark_pg_in_recovery', '1 on a standby', status.inRecovery ? 1 : 0),
    counter('tidemark_archiver_archived_total', 'pg_stat_archiver.archived_count', status.archivedCount),
    counter('tidemark_archiver_failed_total', 'pg_stat_archiver.failed_count', status.failedCount),
    gauge('tidemark_archiver_last_archived_age_seconds', 'Seconds since the last successfully archived WAL file', age(status.lastArchivedTime)),
    gauge('tidemark_archiver_last_failed_age_seconds', 'Seconds since the last failed archive attempt', age(status.lastFailedTime)),
    gauge('tidemark_archive_lag_bytes', 'WAL bytes written after the end of the last archived segment', lag?.bytes),
    gauge('tidemark_archive_lag_segments', 'Completed WAL segments not yet archived', lag?.segments),
    gauge('tidemark_pg_wal_bytes', 'Size of pg_wal (pg_ls_waldir)', status.walBytes),
    gauge('tidemark_wal_segment_size_bytes', 'wal_segment_size of the server', status.segmentSize),
  ]
}

async function backupFamilies(store: Pick<BackupStore, 'list'>, nowSeconds: number): Promise<MetricFamily[]> {
  const backups = await store.list().catch(() => undefined)
  const last = backups?.at(-1)
  return [
    gauge('tidemark_backups', 'Finished backups in the catalog', backups?.length),
    gauge('tidemark_last_backup_age_seconds', 'Seconds since the newest backup ended', last ? Math.max(0, nowSeconds - Date.parse(last.endTime) / 1000) : undefined),
    gauge('tidemark_last_backup_bytes', 'Size of the newest backup', last?.bytes),
    gauge('tidemark_last_backup_verified', '1 when the newest backup was verified', last ? (last.verified ? 1 : 0) : undefined),
  ]
}

async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const stats = await statfs(dir)
    return stats.bavail * stats.bsize
  } catch {
    return undefined
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}
