// The agent on a storage repository (what --repo s3://… opens), here through PosixStorage: WAL in the
// directory layout, tar backups through BackupRepository with the record written by the engine,
// verify reading the repository, plain backups refused, nothing of another writer removed at start.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BackupRepository, type BackupRecord } from '@tidemark/backup'
import { PosixStorage } from '@tidemark/storage'
import { DirectoryWalRepository } from '@tidemark/wal'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { buildApp } from './app.js'
import type { JobView } from './jobs/job.js'
import type { AgentBackupRequest, AgentVerifyRequest } from './jobs/runners.js'
import { AUTH, backupResult, eventually, SEGMENT_3, segment, tempDir, TOKEN } from './testing/agent-fixtures.js'

const apps: FastifyInstance[] = []
afterEach(async () => {
  for (const app of apps.splice(0)) {
    await app.close()
  }
})

async function storageApp(options: { root?: string; backupRunner?: (request: AgentBackupRequest) => Promise<ReturnType<typeof backupResult>>; verifyRunner?: (request: AgentVerifyRequest) => Promise<void> } = {}): Promise<{ app: FastifyInstance; root: string; incoming: string }> {
  const root = options.root ?? tempDir()
  const incoming = join(tempDir(), 'incoming')
  const app = buildApp({ storage: new PosixStorage(root), incomingDir: incoming, tokens: [TOKEN], backupRunner: options.backupRunner, verifyRunner: options.verifyRunner })
  apps.push(app)
  await app.ready()
  return { app, root, incoming }
}

async function job(app: FastifyInstance, id: string): Promise<JobView> {
  return eventually(
    async () => (await app.inject({ method: 'GET', url: `/v1/jobs/${id}`, headers: AUTH })).json<JobView>(),
    (view) => view.state !== 'running'
  )
}

describe('agent on a storage repository', () => {
  it('archives WAL in the directory layout and serves it back', async () => {
    const { app, root, incoming } = await storageApp()
    const bytes = segment(SEGMENT_3)
    expect((await app.inject({ method: 'PUT', url: `/v1/wal/${SEGMENT_3}`, headers: AUTH, payload: bytes })).statusCode).toBe(201)
    expect(await new DirectoryWalRepository(root).list()).toEqual([SEGMENT_3])
    const got = await app.inject({ method: 'GET', url: `/v1/wal/${SEGMENT_3}`, headers: AUTH })
    expect(got.rawPayload.equals(bytes)).toBe(true)
    expect(existsSync(join(root, '.tidemark-agent-incoming'))).toBe(false)
    expect(existsSync(incoming)).toBe(true)
  })

  it('takes tar backups into the repository, lists and verifies them there, and refuses plain ones', async () => {
    const backupRequests: AgentBackupRequest[] = []
    const verifyRequests: AgentVerifyRequest[] = []
    const { app } = await storageApp({
      backupRunner: async (request) => {
        backupRequests.push(request)
        const target = request.repository
        if (!target) {
          throw new Error('no repository target')
        }
        await target.repository.putFile(target.id, 'base.tar', Buffer.from('tar'))
        const result = backupResult(request.label, 3)
        const record: BackupRecord = {
          id: target.id,
          label: result.label,
          startLsn: result.startLsn,
          endLsn: result.endLsn,
          timeline: 1,
          startTime: result.startTime.toISOString(),
          endTime: result.endTime.toISOString(),
          systemIdentifier: result.systemIdentifier,
          bytes: 3,
          flavor: 'postgresql',
          serverMajor: 17,
          format: 'tar',
          compression: 'none',
          verified: false,
        }
        await target.repository.writeRecord(record)
        return { ...result, record }
      },
      verifyRunner: async (request) => void verifyRequests.push(request),
    })
    const plain = await app.inject({ method: 'POST', url: '/v1/backups', headers: AUTH, payload: { format: 'plain' } })
    expect(plain.statusCode).toBe(400)
    expect(plain.json().error.code).toBe('TIDEMARK_ERR_AGENT_USAGE')
    expect(backupRequests).toEqual([])

    const started = await app.inject({ method: 'POST', url: '/v1/backups', headers: AUTH, payload: { label: 'to storage' } })
    expect(started.statusCode).toBe(202)
    const { id, backupId } = started.json<{ id: string; backupId: string }>()
    expect(await job(app, id)).toMatchObject({ state: 'succeeded', progress: { doneBytes: 3, totalBytes: 3 } })
    expect(backupRequests[0]?.repository?.id).toBe(backupId)
    const listed = (await app.inject({ method: 'GET', url: '/v1/backups', headers: AUTH })).json<BackupRecord[]>()
    expect(listed).toEqual([expect.objectContaining({ id: backupId, label: 'to storage', format: 'tar', verified: false })])

    const verify = await app.inject({ method: 'POST', url: `/v1/backups/${backupId}/verify`, headers: AUTH })
    expect(await job(app, verify.json<{ id: string }>().id)).toMatchObject({ state: 'succeeded' })
    expect(verifyRequests[0]?.repository?.id).toBe(backupId)
    expect((await app.inject({ method: 'GET', url: `/v1/backups/${backupId}`, headers: AUTH })).json()).toMatchObject({ verified: true })
  })

  it('removes what a failed backup stored', async () => {
    const { app, root } = await storageApp({
      backupRunner: async (request) => {
        await request.repository?.repository.putFile(request.repository.id, 'base.tar', Buffer.from('partial'))
        throw Object.assign(new Error('the server went away'), { code: 'TIDEMARK_ERR_BACKUP_FAILED', exitCode: 4 })
      },
    })
    const started = await app.inject({ method: 'POST', url: '/v1/backups', headers: AUTH })
    expect(await job(app, started.json<{ id: string }>().id)).toMatchObject({ state: 'failed' })
    expect(await new BackupRepository(new PosixStorage(root)).ids()).toEqual([])
  })

  it('leaves unfinished backups alone at start-up: another writer may own them', async () => {
    const root = tempDir()
    mkdirSync(join(root, 'backups', '20261124T150000Z-0000aa', 'data'), { recursive: true })
    writeFileSync(join(root, 'backups', '20261124T150000Z-0000aa', 'data', 'base.tar'), 'being written')
    await storageApp({ root })
    expect(existsSync(join(root, 'backups', '20261124T150000Z-0000aa', 'data', 'base.tar'))).toBe(true)
  })
})
