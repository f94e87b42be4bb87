import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { AUTH, OTHER_TOKEN, TOKEN, testApp } from '../testing/agent-fixtures.js'

describe('auth', () => {
  it('lets GET /healthz through without a token', async () => {
    const { app } = await testApp()
    const response = await app.inject({ method: 'GET', url: '/healthz' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ status: 'ok' })
  })

  it('refuses every other route without the right bearer token, with 401 and a code', async () => {
    const { app } = await testApp()
    for (const url of ['/v1/backups', '/v1/wal', '/metrics', '/openapi.json', '/v1/jobs/x', '/no/such/route']) {
      for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, 'Bearer']) {
        const response = await app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} })
        expect(response.statusCode, `${url} ${authorization}`).toBe(401)
        expect(response.headers['www-authenticate']).toBe('Bearer')
        expect(response.json()).toEqual({ error: { code: 'TIDEMARK_ERR_AGENT_UNAUTHORIZED', message: expect.any(String) } })
      }
    }
    const put = await app.inject({ method: 'PUT', url: '/v1/wal/000000010000000000000003', payload: Buffer.alloc(10) })
    expect(put.statusCode).toBe(401)
  })

  it('accepts any token of the token file', async () => {
    const { app } = await testApp()
    expect((await app.inject({ method: 'GET', url: '/v1/backups', headers: AUTH })).statusCode).toBe(200)
    const other = await app.inject({ method: 'GET', url: '/v1/backups', headers: { authorization: `bearer ${OTHER_TOKEN}` } })
    expect(other.statusCode).toBe(200)
  })

  it('never writes the token into the logs', async () => {
    let logged = ''
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback): void {
        logged += chunk.toString()
        callback()
      },
    })
    const { app } = await testApp({ logger: { level: 'trace', stream } })
    await app.inject({ method: 'GET', url: '/v1/backups', headers: AUTH })
    await app.inject({ method: 'GET', url: '/v1/backups', headers: { authorization: 'Bearer wrong-token-0123456789' } })
    expect(logged).toContain('/v1/backups')
    expect(logged).not.toContain(TOKEN)
    expect(logged).not.toContain('wrong-token-0123456789')
  })
})
