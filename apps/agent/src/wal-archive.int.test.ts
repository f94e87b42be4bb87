// tidemark-agent against real PostgreSQL servers: archive_command ships WAL through the agent,
// /metrics sees a stalled archiver, bad names and tokens are refused.
import { readdirSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { createSampleTable, startCluster, stopAllClusters, switchWal, testMajors, type Cluster } from '@tidemark/test-fixtures'
import { TOKEN } from './testing/agent-fixtures.js'
import { auth, metric, startAgent, until } from './testing/live-agent.js'

afterAll(stopAllClusters)

async function archiver(cluster: Cluster): Promise<{ archived: number; failed: number }> {
  const [row] = await cluster.query<{ archived: string; failed: string }>(
    'SELECT archived_count::text AS archived, failed_count::text AS failed FROM pg_stat_archiver'
  )
  return { archived: Number(row?.archived), failed: Number(row?.failed) }
}

for (const major of testMajors()) {
  describe(`tidemark-agent WAL archive on PostgreSQL ${major}`, () => {
    it('archives through the agent without failures, and /metrics shows the lag once archiving stalls', async () => {
      const agent = await startAgent()
      // Any HTTP client can archive: curl against PUT /v1/wal/%f (tidemark-wal: remote-wal.int.test.ts).
      const archiveCommand =
        `curl -fsS --max-time 30 -X PUT --data-binary @%p -H "Authorization: Bearer ${TOKEN}" ${agent.url}/v1/wal/%f`
      const cluster = await startCluster({ major, archiveCommand })
      agent.attach(cluster)
      await createSampleTable(cluster, 'items', 500)
      for (let i = 0; i < 3; i += 1) {
        await switchWal(cluster)
      }
      const archived = await until('3 archived segments', () => archiver(cluster), (a) => a.archived >= 3)
      expect(archived.failed, cluster.logTail()).toBe(0)

      const listing = (await (await fetch(`${agent.url}/v1/wal`, { headers: auth })).json()) as {
        timelines: { timeline: number; ranges: { count: number }[]; gaps: unknown[] }[]
      }
      expect(listing.timelines).toHaveLength(1)
      expect(listing.timelines[0]?.gaps).toEqual([])
      expect(listing.timelines[0]?.ranges[0]?.count).toBeGreaterThanOrEqual(3)

      const healthy = await (await fetch(`${agent.url}/metrics`, { headers: auth })).text()
      expect(metric(healthy, 'tidemark_pg_up')).toBe(1)
      expect(metric(healthy, 'tidemark_archiver_failed_total')).toBe(0)
      expect(metric(healthy, 'tidemark_archive_lag_segments')).toBe(0)
      expect(metric(healthy, 'tidemark_wal_pushes_total{outcome="stored"}')).toBeGreaterThanOrEqual(3)

      await cluster.query(`ALTER SYSTEM SET archive_command = 'false'`)
      await cluster.query('SELECT pg_reload_conf()')
      await new Promise((resolve) => setTimeout(resolve, 500))
      for (let i = 0; i < 3; i += 1) {
        await switchWal(cluster)
      }
      await until('a failed archive attempt', () => archiver(cluster), (a) => a.failed > 0)
      const stalled = await (await fetch(`${agent.url}/metrics`, { headers: auth })).text()
      expect(metric(stalled, 'tidemark_archiver_failed_total')).toBeGreaterThan(0)
      expect(metric(stalled, 'tidemark_archive_lag_segments')).toBeGreaterThanOrEqual(3)
      expect(metric(stalled, 'tidemark_archive_lag_bytes')).toBeGreaterThanOrEqual(3 * 16 * 1024 * 1024)
      expect(metric(stalled, 'tidemark_archiver_last_failed_age_seconds')).toBeLessThan(120)
      expect(metric(stalled, 'tidemark_pg_wal_bytes')).toBeGreaterThan(0)
      await cluster.stop()
    })

    it('refuses a traversal name with 400 and a wrong token with 401 over a real socket, writing nothing', async () => {
      const agent = await startAgent()
      const before = readdirSync(agent.repo, { recursive: true }).sort()
      const traversal = await fetch(`${agent.url}/v1/wal/..%2F..%2F..%2Ftmp%2Fowned`, { method: 'PUT', headers: auth, body: 'x' })
      expect(traversal.status).toBe(400)
      expect(((await traversal.json()) as { error: { code: string } }).error.code).toBe('TIDEMARK_ERR_WAL_BAD_NAME')
      const wrong = await fetch(`${agent.url}/v1/wal/000000010000000000000001`, {
        method: 'PUT',
        headers: { authorization: 'Bearer not-the-token-at-all' },
        body: 'x',
      })
      expect(wrong.status).toBe(401)
      expect((await fetch(`${agent.url}/healthz`)).status).toBe(200)
      expect(readdirSync(agent.repo, { recursive: true }).sort()).toEqual(before)
    })
  })
}
