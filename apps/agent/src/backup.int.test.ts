// tidemark-agent against real PostgreSQL servers: a backup started over HTTP is listed and restores.
import { chmodSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createSampleTable, startCluster, startExistingCluster, stopAllClusters, tableDigest, testMajors } from '@tidemark/test-fixtures'
import type { JobView } from './jobs/job.js'
import { auth, startAgent, until } from './testing/live-agent.js'

afterAll(stopAllClusters)

for (const major of testMajors()) {
  describe(`tidemark-agent backups on PostgreSQL ${major}`, () => {
    it('takes a backup started over HTTP that is listed and restores', async () => {
      const agent = await startAgent()
      const cluster = await startCluster({ major })
      agent.attach(cluster)
      await createSampleTable(cluster, 'orders', 2000)
      const expected = await tableDigest(cluster, 'orders')

      const started = await fetch(`${agent.url}/v1/backups`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ label: 'over http', format: 'plain', checkpoint: 'fast' }),
      })
      expect(started.status).toBe(202)
      const { id, backupId } = (await started.json()) as { id: string; backupId: string }
      const job = await until(
        'the backup job to end',
        async () => (await (await fetch(`${agent.url}/v1/jobs/${id}`, { headers: auth })).json()) as JobView,
        (view) => view.state === 'succeeded' || view.state === 'failed'
      )
      expect(job.error).toBeUndefined()
      expect(job.state).toBe('succeeded')

      const list = (await (await fetch(`${agent.url}/v1/backups`, { headers: auth })).json()) as { id: string; label: string; bytes: number; serverMajor: number }[]
      expect(list).toEqual([expect.objectContaining({ id: backupId, label: 'over http', serverMajor: major })])
      expect(list[0]?.bytes).toBeGreaterThan(0)

      const verify = await fetch(`${agent.url}/v1/backups/${backupId}/verify`, { method: 'POST', headers: auth })
      expect(verify.status).toBe(202)
      const verifyId = ((await verify.json()) as { id: string }).id
      const verifyJob = await until(
        'the verify job to end',
        async () => (await (await fetch(`${agent.url}/v1/jobs/${verifyId}`, { headers: auth })).json()) as JobView,
        (view) => view.state === 'succeeded' || view.state === 'failed'
      )
      expect(verifyJob.error).toBeUndefined()
      const record = (await (await fetch(`${agent.url}/v1/backups/${backupId}`, { headers: auth })).json()) as { verified: boolean }
      expect(record.verified).toBe(true)

      const metrics = await (await fetch(`${agent.url}/metrics`, { headers: auth })).text()
      expect(metrics).toMatch(/^tidemark_backups 1$/m)
      expect(metrics).toMatch(/^tidemark_last_backup_verified 1$/m)
      expect(metrics).toMatch(/^tidemark_last_backup_bytes [1-9]\d*$/m)

      const dataDir = join(agent.repo, 'backups', backupId, 'data')
      for (const dir of [agent.repo, join(agent.repo, 'backups'), join(agent.repo, 'backups', backupId)]) {
        chmodSync(dir, 0o755)
      }
      await cluster.stop()
      const restored = await startExistingCluster({ major, dataDir })
      expect(await tableDigest(restored, 'orders')).toEqual(expected)
      await restored.stop()
    })
    it('aborts a running backup when the agent closes and leaves no partial files', async () => {
      const agent = await startAgent()
      const cluster = await startCluster({ major })
      agent.attach(cluster)
      await createSampleTable(cluster, 'bulk', 200_000)
      const started = await fetch(`${agent.url}/v1/backups`, { method: 'POST', headers: auth })
      expect(started.status).toBe(202)
      const { id } = (await started.json()) as { id: string }
      const jobs = agent.app.agent.jobs
      await agent.app.close()
      expect(jobs.get(id)).toMatchObject({ state: 'failed' })
      expect(jobs.get(id)?.error?.message).toMatch(/^aborted: the agent is shutting down/)
      expect(readdirSync(join(agent.repo, 'backups'))).toEqual([])
      const [slots] = await cluster.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_replication_slots')
      expect(slots?.n).toBe('0')
      await cluster.stop()
    })
  })
}
