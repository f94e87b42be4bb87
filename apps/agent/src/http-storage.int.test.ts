// The storage driver contract for HttpStorage (@tidemark/storage/http) against a real, listening
// tidemark-agent: once on a directory repository, once on a Ceph RADOS Gateway bucket. Plus what
// only the agent driver has: a refused token, keys that need percent-encoding, a cut-off body.
import { readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { S3Storage } from '@tidemark/storage/s3'
import { HttpStorage } from '@tidemark/storage/http'
import { storageContract, readAll } from '@tidemark/storage/testing'
import { StorageExistsError, StorageRequestError, StorageUsageError, type Storage } from '@tidemark/storage'
import { makeTlsFiles, s3ServerAvailableOrWarn, scratchDir, startS3Server, type S3Server } from '@tidemark/test-fixtures'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from './app.js'
import { TOKEN } from './testing/agent-fixtures.js'
import { startAgent } from './testing/live-agent.js'

const MIB = 1024 * 1024

/** A request with the path exactly as written (fetch would resolve '..' first). */
function rawRequest(base: string, method: string, path: string): Promise<{ status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base)
    const request = httpRequest({ hostname, port, path, method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/octet-stream' } }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        const document = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { error?: { code?: string } }
        resolve({ status: response.statusCode ?? 0, code: document.error?.code ?? '' })
      })
    })
    request.on('error', reject)
    request.end(method === 'PUT' ? 'x' : undefined)
  })
}
const repoOf = new Map<string, string>()

async function agentStorage(): Promise<HttpStorage> {
  const agent = await startAgent()
  repoOf.set(agent.url, agent.repo)
  return new HttpStorage(agent.url, { token: TOKEN, timeoutMs: 10_000 })
}

/** The files under the agent's directory, waiting a moment for the agent to finish removing a cut-off put. */
async function filesLeft(storage: Storage): Promise<string[]> {
  const dir = repoOf.get(storage.url) ?? ''
  let files: string[] = []
  for (let i = 0; i < 40; i++) {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
    files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
    if (files.length === 0) {
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return files
}

describe('HttpStorage against a tidemark-agent on a directory (driver contract)', () => {
  storageContract({
    open: agentStorage,
    largeSize: 128 * MIB,
    // Client and agent share this process: both sides together stay flat.
    largeMemoryBound: 48 * MIB,
    assertNothingLeft: async (storage) => {
      expect(await filesLeft(storage)).toEqual([])
    },
  })

  it('refuses a wrong token with one clear usage error', async () => {
    const agent = await startAgent()
    const storage = new HttpStorage(agent.url, { token: 'wrong-token-0123456789', timeoutMs: 5_000 })
    try {
      const failure = await storage.head('x').catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(StorageUsageError)
      expect((failure as Error).message).toBe(`${agent.url} refused the token (HTTP 401): check --token-file, TIDEMARK_TOKEN_FILE or TIDEMARK_TOKEN`)
    } finally {
      await storage.close()
    }
  })

  it('carries keys that need percent-encoding, and refuses traversal on the agent too', async () => {
    const storage = await agentStorage()
    try {
      const key = 'odd keys/100% #1?/é ü+&=.bin'
      await storage.put(key, Buffer.from('odd'))
      expect((await readAll(await storage.get(key))).toString()).toBe('odd')
      const listed: string[] = []
      for await (const info of storage.list('odd keys/')) {
        listed.push(info.key)
      }
      expect(listed).toEqual([key])
      const repo = repoOf.get(storage.url) ?? ''
      expect(await readdir(join(repo, 'odd keys', '100% #1?'))).toEqual(['é ü+&=.bin'])
      // Raw requests past the client's own check (and past URL normalisation): the agent checks keys itself.
      expect(await rawRequest(storage.url, 'GET', '/v1/objects/a/%2E%2E/%2E%2E/etc')).toEqual({ status: 400, code: 'TIDEMARK_ERR_STORAGE_USAGE' })
      expect(await rawRequest(storage.url, 'GET', '/v1/objects/a/../../etc')).toEqual({ status: 400, code: 'TIDEMARK_ERR_STORAGE_USAGE' })
      expect(await rawRequest(storage.url, 'PUT', '/v1/objects/.tidemark-agent-incoming/x')).toEqual({ status: 400, code: 'TIDEMARK_ERR_STORAGE_USAGE' })
    } finally {
      await storage.close()
    }
  })

  it('refuses a streamed create-only put of an existing key without sending the whole body', async () => {
    const storage = await agentStorage()
    try {
      await storage.put('c/k', Buffer.from('first'))
      let sent = 0
      async function* endless(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 4096; i++) {
          sent += 65536
          yield Buffer.alloc(65536)
        }
      }
      await expect(storage.put('c/k', endless(), { createOnly: true })).rejects.toBeInstanceOf(StorageExistsError)
      expect(sent).toBeLessThan(64 * MIB)
      expect((await readAll(await storage.get('c/k'))).toString()).toBe('first')
      // The connection is usable afterwards.
      expect((await storage.head('c/k'))?.size).toBe(5)
    } finally {
      await storage.close()
    }
  })

  it('stores nothing when the announced size is not what arrives', async () => {
    const storage = await agentStorage()
    try {
      async function* short(): AsyncGenerator<Uint8Array> {
        yield Buffer.alloc(1000)
      }
      await expect(storage.put('s/short', short(), { size: 2000 })).rejects.toThrow(/1000 bytes, 2000 were announced/)
      expect(await storage.head('s/short')).toBeUndefined()
      expect(await filesLeft(storage)).toEqual([])
    } finally {
      await storage.close()
    }
  })
})

describe('HttpStorage over HTTPS', () => {
  it('trusts the agent through the given CA and refuses it without', async () => {
    const dir = scratchDir('agent-http-storage-tls')
    const tls = makeTlsFiles(dir)
    const app = buildApp({ repoDir: join(dir, 'repo'), tokens: [TOKEN], https: { cert: readFileSync(tls.serverCert), key: readFileSync(tls.serverKey) } })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const url = `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    const trusted = new HttpStorage(url, { token: TOKEN, ca: readFileSync(tls.caCert), timeoutMs: 5_000 })
    const untrusted = new HttpStorage(url, { token: TOKEN, timeoutMs: 5_000 })
    try {
      const data = Buffer.alloc(200_000, 7)
      await trusted.put('tls/object', data, { createOnly: true })
      expect((await readAll(await trusted.get('tls/object', { range: { start: 10, end: 19 } }))).equals(data.subarray(10, 20))).toBe(true)
      expect((await trusted.head('tls/object'))?.size).toBe(data.length)
      const refused = await untrusted.head('tls/object').catch((error: unknown) => error)
      expect(refused).toBeInstanceOf(StorageRequestError)
      expect((refused as Error).message).toMatch(/^HEAD tls\/object at https:\/\/127\.0\.0\.1:\d+ failed: /)
    } finally {
      await trusted.close()
      await untrusted.close()
      await app.close()
    }
  })
})

const available = s3ServerAvailableOrWarn()

describe.skipIf(!available)('HttpStorage against a tidemark-agent on Ceph RGW (driver contract)', () => {
  let server: S3Server | undefined
  let buckets = 0
  beforeAll(async () => {
    server = await startS3Server()
  })
  const agents: FastifyInstance[] = []
  afterAll(async () => {
    // The agents first: closed after the gateway, their S3 clients would wait out their deadlines.
    for (const app of agents.splice(0)) {
      await app.close()
    }
    await server?.stop()
  })
  storageContract({
    open: async () => {
      const s3 = server as S3Server
      const bucket = `agent-http-${++buckets}`
      await s3.createBucket(bucket)
      const backing = new S3Storage(bucket, 'repo', {
        endpoint: s3.endpoint,
        credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
        env: {},
        partSize: 5 * MIB,
        parallelParts: 2,
      })
      const agent = await startAgent({ storage: backing })
      agents.push(agent.app)
      return new HttpStorage(agent.url, { token: TOKEN, timeoutMs: 20_000 })
    },
    largeSize: 24 * MIB,
  })
})
