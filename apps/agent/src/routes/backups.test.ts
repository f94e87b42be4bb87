import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JobView } from '../jobs/job.js'
import { AUTH, eventually, manualRunner, testApp } from '../testing/agent-fixtures.js'

describe('backup routes', () => {
  it('start a backup as a job, one at a time, and list it when it succeeded', async () => {
    const stub = manualRunner()
    const { app, repo } = await testApp({ backupRunner: stub.runner })
    const started = await app.inject({ method: 'POST', url: '/v1/backups', headers: AUTH, payload: { label: 'nightly', compress: 'gzip:5' } })
    expect(started.statusCode).toBe(202)
    const { id, backupId } = started.json<{ id: string; backupId: string }>()
    expect(started.headers['location']).toBe(`/v1/jobs/${id}`)
    await stub.started
    expect(stub.requests[0]).toMatchObject({ label: 'nightly', format: 'tar', compress: 'gzip:5', checkpoint: 'fast', targetDir: join(repo, 'backups', backupId, 'data') })

    const running = await app.inject({ method: 'GET', url: `/v1/jobs/${id}`, headers: AUTH })
    expect(running.json()).toMatchObject({ id, kind: 'backup', state: 'running', backupId, progress: { doneBytes: 10, totalBytes: 100 } })
    const second = await app.inject({ method: 'POST', url: '/v1/backups', headers: AUTH })
    expect(second.statusCode).toBe(409)
    expect(second.json().error.code).toBe('TIDEMARK_ERR_AGENT_BUSY')
    expect((await app.inject({ method: 'GET', url: '/v1/backups', headers: AUTH })).json()).toEqual([])

    stub.finish()
    const done = await eventually(
      async () => (await app.inject({ method: 'GET', url: `/v1/jobs/${id}`, headers: AUTH })).json<JobView>(),
      (job) => job.state !== 'running'
    )
    expect(done).toMatchObject({ state: 'succeeded', progress: { doneBytes: 1234, totalBytes: 1234 } })
    const list = (await app.inject({ method: 'GET', url: '/v1/backups', headers: AUTH })).json()
    expect(list).toEqual([
      expect.objectContaining({ id: backupId, label: 'nightly', startLsn: '0/2000028', endLsn: '0/2000138', timeline: 1, bytes: 1234, verified: false, compression: 'gzip:5', format: 'tar' }),
    ])
    expect((await app.inject({ method: 'GET', url: `/v1/backups/${backupId}`, headers: AUTH })).json()).toMatchObject({ id: backupId })
  })

  it('remove what a failed backup wrote and report the error on the job', async () => {
    const stub = manualRunner()
    const { app, repo } = await testApp({ backupRunner: stub.runner })
    const { id, backupId } = (await app.inject({ method: 'POST', url: '/v1/backups', headers: AUTH })).json<{ id: string; backupId: string }>()
    await stub.started
    expect(existsSync(join(repo, 'backups', backupId, 'data', 'base.tar'))).toBe(true)
    stub.finish(Object.assign(new Error('server closed the connection'), { code: 'TIDEMARK_ERR_BACKUP_FAILED', exitCode: 4 }))
    const job = await eventually(
      async () => (await app.inject({ method: 'GET', url: `/v1/jobs/${id}`, headers: AUTH })).json<JobView>(),
      (view) => view.state === 'failed'
    )
    expect(job.error).toEqual({ code: 'TIDEMARK_ERR_BACKUP_FAILED', message: 'server closed the connection' })
    expect(existsSync(join(repo, 'backups', backupId))).toBe(false)
  })

  it('abort a running backup on close and remove its partial files', async () => {
    const stub = manualRunner()
    const { app, repo } = await testApp({ backupRunner: stub.runner })
    const { id, backupId } = (await app.inject({ method: 'POST', url: '/v1/backups', headers: AUTH })).json<{ id: string; backupId: string }>()
    await stub.started
    const jobs = app.agent.jobs
    await app.close()
    expect(stub.requests[0]?.signal.aborted).toBe(true)
    expect(jobs.get(id)).toMatchObject({ state: 'failed', error: { code: 'TIDEMARK_ERR_AGENT_INTERNAL' } })
    expect(jobs.get(id)?.error?.message).toMatch(/^aborted: the agent is shutting down/)
    expect(existsSync(join(repo, 'backups', backupId))).toBe(false)
  })

  it('refuse bad bodies with 400, and answer 501 without a database', async () => {
    const { app } = await testApp({ backupRunner: manualRunner().runner })
    for (const payload of [{ format: 'zip' }, { compress: 'gzip; rm -rf /' }, { unknown: 1 }, { checkpoint: 'now' }]) {
      const response = await app.inject({ method: 'POST', url: '/v1/backups', headers: AUTH, payload })
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.code).toBe('TIDEMARK_ERR_AGENT_USAGE')
    }
    const { app: without } = await testApp()
    const response = await without.inject({ method: 'POST', url: '/v1/backups', headers: AUTH })
    expect(response.statusCode).toBe(501)
    expect(response.json().error.code).toBe('TIDEMARK_ERR_AGENT_UNAVAILABLE')
  })

  it('stream job progress and the end state as server-sent events', async () => {
    const stub = manualRunner()
    const { app } = await testApp({ backupRunner: stub.runner })
    const { id } = (await app.inject({ method: 'POST', url: '/v1/backups', headers: AUTH })).json<{ id: string }>()
    await stub.started
    const events = app.inject({ method: 'GET', url: `/v1/jobs/${id}/events`, headers: AUTH })
    setTimeout(() => stub.finish(), 50)
    const response = await events
    expect(response.headers['content-type']).toBe('text/event-stream')
    const blocks = response.body.trim().split('\n\n')
    expect(blocks[0]).toMatch(/^event: progress\ndata: \{.*"state":"running"/)
    expect(blocks.at(-1)).toMatch(/^event: end\ndata: \{.*"state":"succeeded"/)
    const after = await app.inject({ method: 'GET', url: `/v1/jobs/${id}/events`, headers: AUTH })
    expect(after.body).toMatch(/^event: end\n/)
    expect((await app.inject({ method: 'GET', url: '/v1/jobs/nope/events', headers: AUTH })).statusCode).toBe(404)
  })

  it('verify a backup as a job and set its verified flag', async () => {
    const stub = manualRunner()
    let verifyCalls = 0
    const { app } = await testApp({
      backupRunner: stub.runner,
      verifyRunner: async (request) => {
        verifyCalls += 1
        request.onProgress({ doneBytes: 5, totalBytes: 5 })
      },
    })
    const { backupId } = (await app.inject({ method: 'POST', url: '/v1/backups', headers: AUTH })).json<{ backupId: string }>()
    await stub.started
    stub.finish()
    await eventually(async () => (await app.inject({ method: 'GET', url: '/v1/backups', headers: AUTH })).json<unknown[]>(), (list) => list.length === 1)
    const verify = await app.inject({ method: 'POST', url: `/v1/backups/${backupId}/verify`, headers: AUTH })
    expect(verify.statusCode).toBe(202)
    const job = await eventually(
      async () => (await app.inject({ method: 'GET', url: `/v1/jobs/${verify.json<{ id: string }>().id}`, headers: AUTH })).json<JobView>(),
      (view) => view.state === 'succeeded'
    )
    expect(job).toMatchObject({ kind: 'verify', backupId })
    expect(verifyCalls).toBe(1)
    expect((await app.inject({ method: 'GET', url: `/v1/backups/${backupId}`, headers: AUTH })).json()).toMatchObject({ verified: true })
    expect((await app.inject({ method: 'POST', url: '/v1/backups/20261124T000000Z-abcdef/verify', headers: AUTH })).statusCode).toBe(404)
    expect((await app.inject({ method: 'POST', url: '/v1/backups/..%2Fetc/verify', headers: AUTH })).statusCode).toBe(400)
  })
})
