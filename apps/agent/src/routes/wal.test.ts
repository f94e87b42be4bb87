import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AUTH, SEGMENT_3, SEGMENT_5, SEGMENT_SIZE, segment, testApp } from '../testing/agent-fixtures.js'

function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
}

describe('WAL routes', () => {
  it('archives a segment, accepts an identical re-push and serves it back', async () => {
    const { app, repo } = await testApp()
    const bytes = segment(SEGMENT_3)
    const first = await app.inject({ method: 'PUT', url: `/v1/wal/${SEGMENT_3}`, headers: AUTH, payload: bytes })
    expect(first.statusCode).toBe(201)
    expect(first.json()).toMatchObject({ fileName: SEGMENT_3, outcome: 'stored', size: SEGMENT_SIZE })
    const again = await app.inject({ method: 'PUT', url: `/v1/wal/${SEGMENT_3}`, headers: { ...AUTH, 'content-type': 'application/octet-stream' }, payload: bytes })
    expect(again.statusCode).toBe(200)
    expect(again.json()).toMatchObject({ outcome: 'already-archived' })
    const got = await app.inject({ method: 'GET', url: `/v1/wal/${SEGMENT_3}`, headers: AUTH })
    expect(got.statusCode).toBe(200)
    expect(got.headers['content-type']).toBe('application/octet-stream')
    expect(got.rawPayload.equals(bytes)).toBe(true)
    expect(got.headers['x-tidemark-sha256']).toBe(first.json<{ sha256: string }>().sha256)
    expect(got.headers['x-tidemark-size']).toBe(String(SEGMENT_SIZE))
    const head = await app.inject({ method: 'HEAD', url: `/v1/wal/${SEGMENT_3}`, headers: AUTH })
    expect(head.statusCode).toBe(200)
    expect(head.headers['x-tidemark-sha256']).toBe(got.headers['x-tidemark-sha256'])
    expect(head.body).toBe('')
    expect((await app.inject({ method: 'HEAD', url: `/v1/wal/${SEGMENT_5}`, headers: AUTH })).statusCode).toBe(404)
    const identity = await app.inject({ method: 'GET', url: '/v1/repository', headers: AUTH })
    expect(identity.json()).toMatchObject({ systemIdentifier: '7711760346714048346', segmentSize: SEGMENT_SIZE })
    expect(tree(join(repo, '.tidemark-agent-incoming'))).toEqual([])
  })

  it('refuses different content under an archived name with 409 and keeps the archived copy', async () => {
    const { app } = await testApp()
    const bytes = segment(SEGMENT_3)
    await app.inject({ method: 'PUT', url: `/v1/wal/${SEGMENT_3}`, headers: AUTH, payload: bytes })
    const changed = Buffer.from(bytes)
    changed[SEGMENT_SIZE - 1] = (changed[SEGMENT_SIZE - 1] ?? 0) ^ 0xff
    const conflict = await app.inject({ method: 'PUT', url: `/v1/wal/${SEGMENT_3}`, headers: AUTH, payload: changed })
    expect(conflict.statusCode).toBe(409)
    expect(conflict.json().error.code).toBe('TIDEMARK_ERR_WAL_CONFLICT')
    const got = await app.inject({ method: 'GET', url: `/v1/wal/${SEGMENT_3}`, headers: AUTH })
    expect(got.rawPayload.equals(bytes)).toBe(true)
  })

  it('refuses a segment pushed under another name with 422', async () => {
    const { app } = await testApp()
    const response = await app.inject({ method: 'PUT', url: `/v1/wal/${SEGMENT_3}`, headers: AUTH, payload: segment(SEGMENT_5) })
    expect(response.statusCode).toBe(422)
    expect(response.json().error.code).toBe('TIDEMARK_ERR_WAL_CONTENT_MISMATCH')
  })

  it('answers 400 to traversal and other non-WAL names and writes nothing', async () => {
    const { app, repo } = await testApp()
    const before = tree(repo)
    for (const name of ['..%2F..%2Fetc%2Fpasswd', '..%5C..%5Cboot.ini', '%2Fetc%2Fpasswd', `${SEGMENT_3}%2F..%2F..%2Fx`, 'backup.json', '00000001000000000000000a']) {
      const put = await app.inject({ method: 'PUT', url: `/v1/wal/${name}`, headers: AUTH, payload: segment(SEGMENT_3) })
      expect(put.statusCode, name).toBe(400)
      expect(put.json().error.code).toBe('TIDEMARK_ERR_WAL_BAD_NAME')
      const get = await app.inject({ method: 'GET', url: `/v1/wal/${name}`, headers: AUTH })
      expect(get.statusCode, name).toBe(400)
    }
    expect(tree(repo)).toEqual(before)
  })

  it('answers 400 to a PUT without a body and 422 to an empty one', async () => {
    const { app } = await testApp()
    const none = await app.inject({ method: 'PUT', url: `/v1/wal/${SEGMENT_3}`, headers: AUTH })
    expect(none.statusCode).toBe(400)
    expect(none.json().error.code).toBe('TIDEMARK_ERR_AGENT_USAGE')
    const empty = await app.inject({ method: 'PUT', url: `/v1/wal/${SEGMENT_3}`, headers: { ...AUTH, 'content-type': 'application/octet-stream' }, payload: Buffer.alloc(0) })
    expect(empty.statusCode).toBe(422)
  })

  it('answers 404 for a file that is not archived', async () => {
    const { app } = await testApp()
    const response = await app.inject({ method: 'GET', url: `/v1/wal/${SEGMENT_5}`, headers: AUTH })
    expect(response.statusCode).toBe(404)
    expect(response.json().error.code).toBe('TIDEMARK_ERR_WAL_NOT_FOUND')
  })

  it('refuses a body larger than the repository segment size with 413 and stores nothing', async () => {
    const { app, repo } = await testApp()
    await app.inject({ method: 'PUT', url: `/v1/wal/${SEGMENT_3}`, headers: AUTH, payload: segment(SEGMENT_3) })
    const big = Buffer.concat([segment(SEGMENT_5), Buffer.alloc(1)])
    const response = await app.inject({ method: 'PUT', url: `/v1/wal/${SEGMENT_5}`, headers: AUTH, payload: big })
    expect(response.statusCode).toBe(413)
    expect(response.json().error.code).toBe('TIDEMARK_ERR_AGENT_BODY_TOO_LARGE')
    expect((await app.inject({ method: 'GET', url: `/v1/wal/${SEGMENT_5}`, headers: AUTH })).statusCode).toBe(404)
    expect(tree(join(repo, '.tidemark-agent-incoming'))).toEqual([])
  })

  it('stores exactly once when the same name is pushed concurrently', async () => {
    const { app } = await testApp()
    const bytes = segment(SEGMENT_3)
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => app.inject({ method: 'PUT', url: `/v1/wal/${SEGMENT_3}`, headers: AUTH, payload: bytes }))
    )
    const statuses = responses.map((response) => response.statusCode).sort()
    expect(statuses).toEqual([200, 200, 200, 200, 200, 201])
  })

  it('lists ranges per timeline with the gaps between them', async () => {
    const { app } = await testApp()
    expect((await app.inject({ method: 'GET', url: '/v1/wal', headers: AUTH })).json()).toMatchObject({ timelines: [], systemIdentifier: null })
    await app.inject({ method: 'PUT', url: `/v1/wal/${SEGMENT_3}`, headers: AUTH, payload: segment(SEGMENT_3) })
    await app.inject({ method: 'PUT', url: `/v1/wal/${SEGMENT_5}`, headers: AUTH, payload: segment(SEGMENT_5) })
    const history = await app.inject({ method: 'PUT', url: '/v1/wal/00000002.history', headers: AUTH, payload: '1\t0/5000000\tno recovery target specified\n' })
    expect(history.statusCode).toBe(201)
    const listing = await app.inject({ method: 'GET', url: '/v1/wal', headers: AUTH })
    expect(listing.json()).toEqual({
      systemIdentifier: '7711760346714048346',
      segmentSize: SEGMENT_SIZE,
      timelines: [
        {
          timeline: 1,
          ranges: [
            { first: SEGMENT_3, last: SEGMENT_3, count: 1 },
            { first: SEGMENT_5, last: SEGMENT_5, count: 1 },
          ],
          gaps: [{ first: '000000010000000000000004', last: '000000010000000000000004', count: 1 }],
        },
      ],
      partial: [],
      history: ['00000002.history'],
      backupHistory: [],
    })
  })
})
