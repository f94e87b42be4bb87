import { describe, expect, it } from 'vitest'
import type { ArchiverStatus } from '../pg/pg-probe.js'
import { AUTH, SEGMENT_3, segment, testApp } from '../testing/agent-fixtures.js'
import { renderMetrics } from './prometheus-text.js'

const MB16 = 16 * 1024 * 1024
const NOW = new Date('2026-11-24T12:00:00.000Z')

function status(overrides: Partial<ArchiverStatus> = {}): ArchiverStatus {
  return {
    archivedCount: 7,
    lastArchivedWal: '000000010000000000000005',
    lastArchivedTime: NOW.getTime() / 1000 - 30,
    failedCount: 2,
    lastFailedWal: '000000010000000000000006',
    lastFailedTime: NOW.getTime() / 1000 - 5,
    currentLsn: '0/9000100',
    inRecovery: false,
    segmentSize: MB16,
    walBytes: 5 * MB16,
    ...overrides,
  }
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('prometheus text', () => {
  it('renders HELP, TYPE, labels with escapes and special values', () => {
    const text = renderMetrics([
      { name: 'tidemark_x', help: 'a "thing"', type: 'gauge', samples: [{ labels: { route: 'a"b\\c' }, value: Number.POSITIVE_INFINITY }] },
    ])
    expect(text).toBe('# HELP tidemark_x a "thing"\n# TYPE tidemark_x gauge\ntidemark_x{route="a\\"b\\\\c"} +Inf\n')
  })
})

describe('GET /metrics', () => {
  it('reports the archiver, the lag, pg_wal, the repository and HTTP requests', async () => {
    const { app } = await testApp({ pg: { archiverStatus: async () => status() }, now: () => NOW })
    await app.inject({ method: 'PUT', url: `/v1/wal/${SEGMENT_3}`, headers: AUTH, payload: segment(SEGMENT_3) })
    await app.inject({ method: 'GET', url: '/v1/wal', headers: AUTH })
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: AUTH })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8')
    const text = response.body
    expect(sample(text, 'tidemark_pg_up')).toBe(1)
    expect(sample(text, 'tidemark_archiver_archived_total')).toBe(7)
    expect(sample(text, 'tidemark_archiver_failed_total')).toBe(2)
    expect(sample(text, 'tidemark_archiver_last_archived_age_seconds')).toBe(30)
    expect(sample(text, 'tidemark_archiver_last_failed_age_seconds')).toBe(5)
    expect(sample(text, 'tidemark_archive_lag_segments')).toBe(3)
    expect(sample(text, 'tidemark_archive_lag_bytes')).toBe(3 * MB16 + 0x100)
    expect(sample(text, 'tidemark_pg_wal_bytes')).toBe(5 * MB16)
    expect(sample(text, 'tidemark_repository_free_bytes')).toBeGreaterThan(0)
    expect(sample(text, 'tidemark_backups')).toBe(0)
    expect(sample(text, 'tidemark_wal_pushes_total{outcome="stored"}')).toBe(1)
    expect(sample(text, 'tidemark_http_requests_total{method="PUT",route="/v1/wal/:name",status="201"}')).toBe(1)
    expect(sample(text, 'tidemark_http_request_duration_seconds_count{method="GET",route="/v1/wal"}')).toBe(1)
    expect(text).toContain('# TYPE tidemark_http_request_duration_seconds histogram')
    expect(text).not.toContain(SEGMENT_3)
  })

  it('reports tidemark_pg_up 0 and keeps the other series when the database cannot be queried', async () => {
    const { app } = await testApp({ pg: { archiverStatus: async () => Promise.reject(new Error('connection refused')) } })
    const text = (await app.inject({ method: 'GET', url: '/metrics', headers: AUTH })).body
    expect(sample(text, 'tidemark_pg_up')).toBe(0)
    expect(sample(text, 'tidemark_archive_lag_bytes')).toBeUndefined()
    expect(sample(text, 'tidemark_repository_free_bytes')).toBeGreaterThan(0)
  })
})
