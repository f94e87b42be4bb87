import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BackupCatalog } from '@tidemark/backup'
import { describe, expect, it } from 'vitest'
import type { JobView } from '../jobs/job.js'
import { AUTH, eventually, testApp } from '../testing/agent-fixtures.js'
import { engineVerifyRunner } from './engine-verify.js'

describe('engineVerifyRunner', () => {
  it('fails a verify job on a backup without backup_manifest and records it unverified', async () => {
    const { app, repo } = await testApp({ verifyRunner: engineVerifyRunner })
    const catalog = new BackupCatalog(repo)
    const id = '20261124T150000Z-0000aa'
    const data = await catalog.create(id)
    await mkdir(join(data, 'global'), { recursive: true })
    await writeFile(join(data, 'PG_VERSION'), '17\n')
    await writeFile(join(data, 'global', 'pg_control'), Buffer.alloc(8192))
    await catalog.record({
      id,
      label: 'x',
      startLsn: '0/2000028',
      endLsn: '0/2000100',
      timeline: 1,
      startTime: '2026-11-24T15:00:00.000Z',
      endTime: '2026-11-24T15:00:01.000Z',
      systemIdentifier: '1',
      bytes: 1,
      flavor: 'postgresql',
      serverMajor: 17,
      format: 'plain',
      compression: 'none',
      verified: true,
    })
    const started = await app.inject({ method: 'POST', url: `/v1/backups/${id}/verify`, headers: AUTH })
    expect(started.statusCode).toBe(202)
    const job = await eventually(
      async () => (await app.inject({ method: 'GET', url: `/v1/jobs/${started.json<{ id: string }>().id}`, headers: AUTH })).json<JobView>(),
      (view) => view.state === 'failed' || view.state === 'succeeded'
    )
    expect(job.state).toBe('failed')
    expect(job.error?.code).toMatch(/^TIDEMARK_ERR_(AGENT_VERIFY_FAILED|BACKUP_\w+)$/)
    expect((await catalog.read(id))?.verified).toBe(false)
  })
})
