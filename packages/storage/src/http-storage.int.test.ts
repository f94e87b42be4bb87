// HttpStorage's transport against servers that misbehave on purpose (the driver contract against a
// real agent is in apps/agent/src/http-storage.int.test.ts): an answer cut mid-body, a server that
// stalls, 503s that pass, a server that never answers — each fails clearly or recovers, never hangs.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { StorageRequestError, StorageTimeoutError } from './errors.js'
import { HttpStorage } from './http-storage.js'
import { readAll } from './testing/storage-contract.js'

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const fast = { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 }

describe('HttpStorage transport failures', () => {
  it('fails a read whose connection is cut mid-body with a storage error, not a short object', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': '1000' })
      response.write(Buffer.alloc(10))
      setTimeout(() => response.socket?.destroy(), 20)
    })
    const storage = new HttpStorage(url, { token: 't', timeoutMs: 5_000, retry: fast })
    await expect(readAll(await storage.get('k'))).rejects.toBeInstanceOf(StorageRequestError)
    await storage.close()
  })

  it('fails a read that stalls mid-body after the idle deadline', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': '1000' })
      response.write(Buffer.alloc(10))
    })
    const storage = new HttpStorage(url, { token: 't', timeoutMs: 300, retry: fast })
    const started = Date.now()
    await expect(readAll(await storage.get('k'))).rejects.toBeInstanceOf(StorageTimeoutError)
    expect(Date.now() - started).toBeLessThan(3_000)
    await storage.close()
  })

  it('retries 503 answers and then succeeds; a server that never answers times out after the retries', async () => {
    let calls = 0
    const flaky = await serve((_request, response) => {
      calls += 1
      if (calls < 3) {
        response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"TIDEMARK_ERR_AGENT_SHUTTING_DOWN","message":"busy"}}')
        return
      }
      response.writeHead(200, { 'content-length': '3', 'x-tidemark-object-size': '3', 'x-tidemark-last-modified': '2026-11-24T10:00:00.000Z' }).end()
    })
    const storage = new HttpStorage(flaky, { token: 't', timeoutMs: 2_000, retry: fast })
    expect(await storage.head('k')).toEqual({ key: 'k', size: 3, lastModified: new Date('2026-11-24T10:00:00.000Z') })
    expect(calls).toBe(3)
    await storage.close()

    const silent = await serve(() => undefined)
    const stuck = new HttpStorage(silent, { token: 't', timeoutMs: 200, retry: fast })
    const started = Date.now()
    await expect(stuck.head('k')).rejects.toBeInstanceOf(StorageTimeoutError)
    expect(Date.now() - started).toBeLessThan(3_000)
    await stuck.close()
  })

  it('sends the token and a streamed body chunked, never buffered whole', async () => {
    let seen: { authorization?: string | undefined; encoding?: string | undefined; length?: string | undefined; bytes: number } = { bytes: 0 }
    const url = await serve((request, response) => {
      seen = { authorization: request.headers.authorization, encoding: request.headers['transfer-encoding'], length: request.headers['content-length'], bytes: 0 }
      request.on('data', (chunk: Buffer) => (seen.bytes += chunk.length))
      request.on('end', () => response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ key: 'k', size: seen.bytes })))
    })
    const storage = new HttpStorage(url, { token: 'the-token', timeoutMs: 2_000, retry: fast })
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 20; i++) {
        yield Buffer.alloc(65536, i)
      }
    }
    expect(await storage.put('k', chunks())).toEqual({ key: 'k', size: 20 * 65536 })
    expect(seen).toEqual({ authorization: 'Bearer the-token', encoding: 'chunked', length: undefined, bytes: 20 * 65536 })
    await storage.close()
  })
})
