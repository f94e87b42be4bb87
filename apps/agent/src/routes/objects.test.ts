import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { AUTH, testApp } from '../testing/agent-fixtures.js'

const octets = { ...AUTH, 'content-type': 'application/octet-stream' }

describe('the repository as objects', () => {
  it('stores create-only (412 when the key exists, the object left as it is)', async () => {
    const { app, repo } = await testApp()
    const put = (payload: string): Promise<{ statusCode: number; json: () => unknown }> =>
      app.inject({ method: 'PUT', url: '/v1/objects/backups/x/backup.json', headers: { ...octets, 'if-none-match': '*' }, payload })
    const first = await put('first')
    expect(first.statusCode).toBe(201)
    expect(first.json()).toEqual({ key: 'backups/x/backup.json', size: 5 })
    const second = await put('second')
    expect(second.statusCode).toBe(412)
    expect(second.json()).toMatchObject({ error: { code: 'TIDEMARK_ERR_STORAGE_EXISTS' } })
    expect((await app.inject({ method: 'GET', url: '/v1/objects/backups/x/backup.json', headers: AUTH })).body).toBe('first')
    expect(readdirSync(`${repo}/backups/x`)).toEqual(['backup.json'])
    const etag = await app.inject({ method: 'PUT', url: '/v1/objects/k', headers: { ...octets, 'if-none-match': '"abc"' }, payload: 'x' })
    expect(etag.statusCode).toBe(400)
  })

  it('answers a range with 206 and Content-Range, one past the end with 416, a missing key with 404', async () => {
    const { app } = await testApp()
    await app.inject({ method: 'PUT', url: '/v1/objects/r', headers: octets, payload: '0123456789' })
    const part = await app.inject({ method: 'GET', url: '/v1/objects/r', headers: { ...AUTH, range: 'bytes=2-4' } })
    expect(part.statusCode).toBe(206)
    expect(part.body).toBe('234')
    expect(part.headers['content-range']).toBe('bytes 2-4/10')
    const tail = await app.inject({ method: 'GET', url: '/v1/objects/r', headers: { ...AUTH, range: 'bytes=7-99' } })
    expect([tail.statusCode, tail.body, tail.headers['content-range']]).toEqual([206, '789', 'bytes 7-9/10'])
    const past = await app.inject({ method: 'GET', url: '/v1/objects/r', headers: { ...AUTH, range: 'bytes=10-' } })
    expect(past.statusCode).toBe(416)
    const bad = await app.inject({ method: 'GET', url: '/v1/objects/r', headers: { ...AUTH, range: 'bytes=-3' } })
    expect(bad.statusCode).toBe(400)
    const head = await app.inject({ method: 'HEAD', url: '/v1/objects/r', headers: AUTH })
    expect([head.statusCode, head.headers['content-length'], head.headers['x-tidemark-object-size']]).toEqual([200, '10', '10'])
    expect(Number.isNaN(Date.parse(String(head.headers['x-tidemark-last-modified'])))).toBe(false)
    expect((await app.inject({ method: 'HEAD', url: '/v1/objects/missing', headers: AUTH })).statusCode).toBe(404)
    const missing = await app.inject({ method: 'GET', url: '/v1/objects/missing', headers: AUTH })
    expect([missing.statusCode, missing.json<{ error: { code: string } }>().error.code]).toEqual([404, 'TIDEMARK_ERR_STORAGE_NOT_FOUND'])
  })

  it('lists in key order a page at a time, and deletes a batch', async () => {
    const { app } = await testApp()
    for (const key of ['l/c', 'l/a', 'l/b', 'm/x']) {
      await app.inject({ method: 'PUT', url: `/v1/objects/${key}`, headers: octets, payload: key })
    }
    const first = await app.inject({ method: 'GET', url: '/v1/objects?prefix=l/&limit=2', headers: AUTH })
    const page = first.json<{ objects: Array<{ key: string; size: number }>; next: string | null }>()
    expect(page.objects.map((o) => [o.key, o.size])).toEqual([['l/a', 3], ['l/b', 3]])
    expect(page.next).toBe('l/b')
    const second = await app.inject({ method: 'GET', url: '/v1/objects?prefix=l/&limit=2&after=l/b', headers: AUTH })
    expect(second.json()).toMatchObject({ objects: [{ key: 'l/c' }], next: null })
    const deleted = await app.inject({ method: 'POST', url: '/v1/delete-objects', headers: AUTH, payload: { keys: ['l/a', 'l/c', 'l/missing'] } })
    expect(deleted.json()).toEqual({ deleted: 3 })
    const left = await app.inject({ method: 'GET', url: '/v1/objects', headers: AUTH })
    expect(left.json<{ objects: Array<{ key: string }> }>().objects.map((o) => o.key)).toEqual(['l/b', 'm/x'])
    const traversal = await app.inject({ method: 'POST', url: '/v1/delete-objects', headers: AUTH, payload: { keys: ['../x'] } })
    expect(traversal.statusCode).toBe(400)
  })

  it('refuses every object route without the token', async () => {
    const { app } = await testApp()
    for (const [method, url] of [['GET', '/v1/objects'], ['GET', '/v1/objects/k'], ['HEAD', '/v1/objects/k'], ['PUT', '/v1/objects/k'], ['POST', '/v1/delete-objects']] as const) {
      const response = await app.inject({ method, url, ...(method === 'PUT' ? { payload: 'x' } : {}) })
      expect(response.statusCode, `${method} ${url}`).toBe(401)
    }
  })
})
