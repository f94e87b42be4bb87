import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { HttpWalRepository } from './http-repository.js'

const NAME = '000000010000000000000003'
const TOKEN = 'token-0123456789abcdef'

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>

function stubFetch(handler: Handler): { fetch: typeof fetch; calls: { url: string; init: RequestInit }[] } {
  const calls: { url: string; init: RequestInit }[] = []
  const fake = (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input)
    calls.push({ url, init: init ?? {} })
    return handler(url, init ?? {})
  }) as typeof fetch
  return { fetch: fake, calls }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

function repository(handler: Handler, options: { retries?: number; timeoutMs?: number } = {}): { repo: HttpWalRepository; calls: { url: string; init: RequestInit }[] } {
  const { fetch, calls } = stubFetch(handler)
  return { repo: new HttpWalRepository('http://agent.example:7433/', { token: TOKEN, fetch, backoffMs: 1, ...options }), calls }
}

describe('HttpWalRepository', () => {
  it('refuses a URL with credentials, a non-HTTP scheme, and a missing token', () => {
    expect(() => new HttpWalRepository('http://u:p@h:1', { token: TOKEN })).toThrow(expect.objectContaining({ code: 'TIDEMARK_ERR_WAL_USAGE' }))
    expect(() => new HttpWalRepository('ftp://h:1', { token: TOKEN })).toThrow(/expected http\(s\)/)
    expect(() => new HttpWalRepository('http://h:1', { token: '' })).toThrow(/no token/)
  })

  it('sends the original bytes with the bearer token and reads stored/exists from 201/200', async () => {
    const bytes = Buffer.from('wal bytes')
    const { repo, calls } = repository(() => json(calls.length === 1 ? 201 : 200, {}))
    const info = { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, compression: 'none' as const }
    expect(await repo.putIfAbsent(NAME, info, bytes)).toBe('stored')
    expect(await repo.putIfAbsent(NAME, info, bytes)).toBe('exists')
    expect(calls[0]?.url).toBe(`http://agent.example:7433/v1/wal/${NAME}`)
    expect(calls[0]?.init.method).toBe('PUT')
    expect((calls[0]?.init.headers as Record<string, string>).authorization).toBe(`Bearer ${TOKEN}`)
    expect(Buffer.from(calls[0]?.init.body as Uint8Array).equals(bytes)).toBe(true)
  })

  it('maps the agent refusals to the errors tidemark-wal push reports', async () => {
    const answers: Record<number, Response> = {}
    const { repo } = repository(() => answers[0] ?? json(500, {}))
    const info = { sha256: 'a'.repeat(64), size: 1, compression: 'none' as const }
    const cases: [number, string, string, string][] = [
      [409, 'TIDEMARK_ERR_WAL_CONFLICT', `${NAME} is already archived with different content (archived sha256 ${'b'.repeat(64)}, pushed sha256 ${'a'.repeat(64)}); the archived copy is kept`, 'TIDEMARK_ERR_WAL_CONFLICT'],
      [422, 'TIDEMARK_ERR_WAL_CONTENT_MISMATCH', 'refusing', 'TIDEMARK_ERR_WAL_CONTENT_MISMATCH'],
      [400, 'TIDEMARK_ERR_WAL_BAD_NAME', 'bad name', 'TIDEMARK_ERR_WAL_BAD_NAME'],
      [413, 'TIDEMARK_ERR_AGENT_BODY_TOO_LARGE', 'too big', 'TIDEMARK_ERR_WAL_SEGMENT_SIZE_MISMATCH'],
      [401, 'TIDEMARK_ERR_AGENT_UNAUTHORIZED', 'nope', 'TIDEMARK_ERR_WAL_USAGE'],
    ]
    for (const [status, code, message, expected] of cases) {
      answers[0] = json(status, { error: { code, message } })
      await expect(repo.putIfAbsent(NAME, info, Buffer.from('x'))).rejects.toMatchObject({ code: expected })
    }
  })

  it('retries network failures and 5xx a bounded number of times, then fails with WalIoError without the token', async () => {
    let attempts = 0
    const { repo } = repository(() => {
      attempts += 1
      if (attempts === 1) {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })
      }
      return json(503, { error: { code: 'X', message: 'closing' } })
    }, { retries: 2 })
    const failure: unknown = await repo.head(NAME).then(
      () => undefined,
      (error: unknown) => error
    )
    expect(attempts).toBe(3)
    expect(failure).toMatchObject({ code: 'TIDEMARK_ERR_WAL_IO', message: expect.stringMatching(/after 3 attempts: HTTP 503: closing/) })
    expect(String((failure as Error).message)).not.toContain(TOKEN)
  })

  it('gives up on an agent that does not answer within the deadline', async () => {
    const { repo } = repository(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error))
        }),
      { retries: 1, timeoutMs: 50 }
    )
    const started = Date.now()
    await expect(repo.readIdentity()).rejects.toThrow(/after 2 attempts: no answer within 50 ms/)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('reads head and files with their checksum headers, and 404 as not archived', async () => {
    const bytes = Buffer.from('segment')
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const { repo } = repository((url, init) => {
      if (url.endsWith('5')) {
        return json(404, { error: { code: 'TIDEMARK_ERR_WAL_NOT_FOUND', message: 'x' } })
      }
      const headers = { 'x-tidemark-sha256': sha256, 'x-tidemark-size': String(bytes.length) }
      return new Response(init.method === 'HEAD' ? null : bytes, { status: 200, headers })
    })
    expect(await repo.head(NAME)).toEqual({ sha256, size: bytes.length, compression: 'none' })
    expect((await repo.read(NAME))?.payload.equals(bytes)).toBe(true)
    expect(await repo.read('000000010000000000000005')).toBeUndefined()
  })

  it('reads the identity and expands the inventory into names', async () => {
    const { repo } = repository((url) =>
      url.endsWith('/v1/repository')
        ? json(200, { systemIdentifier: '42', segmentSize: 16 * 1024 * 1024, flavor: 'postgresql', major: 17 })
        : json(200, {
            segmentSize: 16 * 1024 * 1024,
            timelines: [{ timeline: 1, ranges: [{ first: '0000000100000000000000FF', last: '000000010000000100000001' }] }],
            partial: [],
            history: ['00000002.history'],
            backupHistory: [],
          })
    )
    expect(await repo.readIdentity()).toEqual({ systemIdentifier: '42', segmentSize: 16 * 1024 * 1024, flavor: 'postgresql', major: 17 })
    expect(await repo.list()).toEqual(['0000000100000000000000FF', '000000010000000100000000', '000000010000000100000001', '00000002.history'])
    await expect(repo.remove(NAME)).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WAL_USAGE' })
  })
})
