// tidemark-agent on an s3:// repository (a real Ceph RADOS Gateway) with PostgreSQL 16: archive_command
// = `tidemark-wal push --repo http://agent` stores every segment in the bucket in the WAL layout, a
// backup job streams a tar backup into the bucket (listed, verified there), and the backup, extracted
// from the bucket and started as a server, holds the rows.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BackupRepository, extractBackup, type BackupRecord } from '@tidemark/backup'
import { S3Storage } from '@tidemark/storage/s3'
import {
  createSampleTable,
  s3ServerAvailableOrWarn,
  scratchDir,
  startCluster,
  startExistingCluster,
  startS3Server,
  stopAllClusters,
  switchWal,
  tableDigest,
  type S3Server,
} from '@tidemark/test-fixtures'
import { StorageWalRepository } from '@tidemark/wal'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobView } from './jobs/job.js'
import { TOKEN } from './testing/agent-fixtures.js'
import { auth, startAgent, until } from './testing/live-agent.js'

const available = s3ServerAvailableOrWarn()

const WAL_PACKAGE = fileURLToPath(new URL('../../archive-command/', import.meta.url))
const WAL_BIN = join(WAL_PACKAGE, 'bin', 'tidemark-wal.js')

let server: S3Server | undefined

beforeAll(async () => {
  if (available) {
    execFileSync(process.execPath, ['build.mjs'], { cwd: WAL_PACKAGE, stdio: 'pipe' })
    server = await startS3Server()
  }
})
afterAll(async () => {
  await stopAllClusters()
  await server?.stop()
})

function storageOf(s3: S3Server, bucket: string): S3Storage {
  return new S3Storage(bucket, 'node-1', { endpoint: s3.endpoint, credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey }, env: {} })
}

async function finished(url: string, jobId: string): Promise<JobView> {
  return until(
    `job ${jobId}`,
    async () => (await (await fetch(`${url}/v1/jobs/${jobId}`, { headers: auth })).json()) as JobView,
    (job) => job.state !== 'running',
    120_000
  )
}

describe.skipIf(!available)('tidemark-agent with an s3:// repository (Ceph RGW)', () => {
  it('archives WAL into the bucket and takes, lists and verifies a tar backup there (PostgreSQL 16)', async () => {
    const s3 = server
    if (!s3) {
      throw new Error('the S3 server did not start')
    }
    await s3.createBucket('agent')
    const agent = await startAgent({ storage: storageOf(s3, 'agent') })
    const token = join(scratchDir('agent-token'), 'token')
    writeFileSync(token, `${TOKEN}\n`, { mode: 0o644 })
    const cluster = await startCluster({ major: 16, archiveCommand: [process.execPath, WAL_BIN, 'push', '--repo', agent.url, '--token-file', token, '%p', '%f'].join(' ') })
    agent.attach(cluster)
    await createSampleTable(cluster, 'items', 500)

    const started = await fetch(`${agent.url}/v1/backups`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ compress: 'gzip:1' }) })
    expect(started.status).toBe(202)
    const { id: jobId, backupId } = (await started.json()) as { id: string; backupId: string }
    const job = await finished(agent.url, jobId)
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded')
    const rows = await tableDigest(cluster, 'items')
    let last = ''
    for (let i = 0; i < 3; i += 1) {
      last = await switchWal(cluster)
    }
    const archived = await until(
      'the archiver',
      async () => (await cluster.query<{ n: string; failed: string }>('SELECT archived_count::text AS n, failed_count::text AS failed FROM pg_stat_archiver'))[0],
      (row) => Number(row?.n) >= 3
    )
    expect(archived?.failed).toBe('0')
    const [named] = await cluster.query<{ name: string }>(`SELECT pg_walfile_name($1::pg_lsn) AS name`, [last])
    await cluster.stop()

    // The WAL and the backup are in the bucket, in the repository layout anything else reads.
    const storage = storageOf(s3, 'agent')
    const wal = await new StorageWalRepository(storage).list()
    expect(wal).toContain(named?.name)
    const repository = new BackupRepository(storage)
    const records = await repository.list()
    expect(records.map((record) => record.id)).toEqual([backupId])
    expect(records[0]).toMatchObject({ format: 'tar', compression: 'gzip:1', serverMajor: 16, verified: false })
    expect((await repository.files(backupId)).map((file) => file.name)).toContain('backup_manifest')
    const listed = (await (await fetch(`${agent.url}/v1/backups`, { headers: auth })).json()) as BackupRecord[]
    expect(listed.map((record) => record.id)).toEqual([backupId])

    const verify = await fetch(`${agent.url}/v1/backups/${backupId}/verify`, { method: 'POST', headers: auth })
    const verified = await finished(agent.url, ((await verify.json()) as { id: string }).id)
    expect(verified.state, JSON.stringify(verified.error)).toBe('succeeded')
    expect((await repository.read(backupId))?.verified).toBe(true)

    // Extracted from the bucket and started, the backup holds the rows of when it was taken.
    const dataDir = join(scratchDir('agent-s3-restore'), 'data')
    await extractBackup({ source: { repository, id: backupId }, targetDir: dataDir, sync: false })
    const restored = await startExistingCluster({ major: 16, dataDir, conf: ['archive_mode = off'] })
    expect(await tableDigest(restored, 'items')).toEqual(rows)
    await restored.stop()
    await storage.close()
  })
})
