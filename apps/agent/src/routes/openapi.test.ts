import { describe, expect, it } from 'vitest'
import { AUTH, testApp } from '../testing/agent-fixtures.js'

describe('GET /openapi.json', () => {
  it('describes every route the agent serves', async () => {
    const { app } = await testApp()
    const response = await app.inject({ method: 'GET', url: '/openapi.json', headers: AUTH })
    expect(response.statusCode).toBe(200)
    const document = response.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>()
    expect(document.openapi).toBe('3.1.0')
    const described = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
    expect(described.sort()).toEqual(
      [
        'GET /healthz',
        'GET /metrics',
        'GET /openapi.json',
        'GET /v1/backups',
        'POST /v1/backups',
        'GET /v1/backups/{id}',
        'POST /v1/backups/{id}/verify',
        'GET /v1/jobs/{id}',
        'GET /v1/jobs/{id}/events',
        'GET /v1/wal',
        'GET /v1/wal/{name}',
        'HEAD /v1/wal/{name}',
        'GET /v1/repository',
        'PUT /v1/wal/{name}',
        'GET /v1/objects',
        'GET /v1/objects/{key}',
        'HEAD /v1/objects/{key}',
        'PUT /v1/objects/{key}',
        'POST /v1/delete-objects',
      ].sort()
    )
  })
})
