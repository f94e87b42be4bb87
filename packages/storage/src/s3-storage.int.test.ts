import { createServer } from 'node:net'
import type { Server, Socket } from 'node:net'
import { s3ServerAvailableOrWarn, startS3Server } from '@tidemark/test-fixtures'
import type { S3Server } from '@tidemark/test-fixtures'
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StorageExistsError, StorageRequestError, StorageTimeoutError } from './errors.js'
import { openStorage } from './open-storage.js'
import type { S3StorageOptions } from './s3-config.js'
import type { Storage } from './storage.js'
import { S3Storage } from './s3-storage.js'
import { generatedBody, readAll, storageContract } from './testing/storage-contract.js'

const available = s3ServerAvailableOrWarn()

const MIB = 1024 * 1024
let server: S3Server
let bucketCount = 0

function options(extra: S3StorageOptions = {}): S3StorageOptions {
  return {
    endpoint: server.endpoint,
    credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey },
    env: {},
    partSize: 5 * MIB,
    parallelParts: 2,
    ...extra,
  }
}

/** No multipart upload is left open in the storage's bucket. */
async function assertNoOpenUploads(storage: Storage): Promise<void> {
  const client = new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey },
  })
  try {
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: (storage as S3Storage).bucket }))
    expect(uploads.Uploads ?? []).toEqual([])
  } finally {
    client.destroy()
  }
}

async function freshStorage(extra: S3StorageOptions = {}): Promise<S3Storage> {
  const bucket = `contract-${++bucketCount}`
  await server.createBucket(bucket)
  return new S3Storage(bucket, 'repo/one', options(extra))
}

describe.skipIf(!available)('S3Storage against Ceph RGW', () => {
  beforeAll(async () => {
    server = await startS3Server()
  })
  afterAll(async () => {
    await server?.stop()
  })

  describe('driver contract (If-None-Match: * for create-only)', () => {
    storageContract({
      open: () => freshStorage(),
      // 192 MiB of unknown length = 39 parts of 5 MiB; two upload slots hold about 10 MiB (plus garbage not yet collected).
      largeSize: 192 * MIB,
      largeMemoryBound: 64 * MIB,
      assertNothingLeft: assertNoOpenUploads,
    })
  })

  describe('driver contract (claims for create-only, as on a server without conditional writes)', () => {
    storageContract({ open: () => freshStorage({ createOnly: 'claims' }), largeSize: 17.5 * MIB, assertNothingLeft: assertNoOpenUploads })
  })

  it('round-trips a multipart object of 3.5 parts byte for byte and refuses a create-only multipart over it', async () => {
    const storage = await freshStorage()
    try {
      const size = 3.5 * 5 * MIB
      const generated = generatedBody(size, 11)
      await storage.put('mp/archive.tar', generated.body, { createOnly: true })
      const head = await storage.head('mp/archive.tar')
      expect(head?.size).toBe(size)
      const { createHash } = await import('node:crypto')
      const got = await readAll(await storage.get('mp/archive.tar'))
      expect(createHash('sha256').update(got).digest('hex')).toBe(generated.sha256())
      const again = generatedBody(size, 12)
      await expect(storage.put('mp/archive.tar', again.body, { createOnly: true })).rejects.toBeInstanceOf(StorageExistsError)
      const ranged = await readAll(await storage.get('mp/archive.tar', { range: { start: 5 * MIB - 10, end: 5 * MIB + 9 } }))
      expect(ranged.equals(got.subarray(5 * MIB - 10, 5 * MIB + 10))).toBe(true)
    } finally {
      await storage.close()
    }
  })

  it('uses If-None-Match: * on Ceph (a 412 answer), and claims when told to (no 412)', async () => {
    const conditional = await freshStorage()
    const claims = await freshStorage({ createOnly: 'claims' })
    try {
      for (const storage of [conditional, claims]) {
        await storage.put('k', Buffer.from('1'), { createOnly: true })
      }
      const refused = await conditional.put('k', Buffer.from('2'), { createOnly: true }).catch((error: unknown) => error)
      expect(refused).toBeInstanceOf(StorageExistsError)
      expect(((refused as Error).cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(412)
      const claimed = await claims.put('k', Buffer.from('2'), { createOnly: true }).catch((error: unknown) => error)
      expect(claimed).toBeInstanceOf(StorageExistsError)
      expect((claimed as Error).cause).toBeUndefined()
      // Claims are the driver's own objects: never listed.
      const listed: string[] = []
      for await (const item of claims.list('')) {
        listed.push(item.key)
      }
      expect(listed).toEqual(['k'])
    } finally {
      await conditional.close()
      await claims.close()
    }
  })

  it('checks an announced size and leaves no object when the body differs', async () => {
    const storage = await freshStorage()
    try {
      await expect(storage.put('sz/small', Buffer.from('abc'), { size: 4 })).rejects.toThrow(/3 bytes, 4 were announced/)
      await expect(storage.put('sz/big', generatedBody(11 * MIB, 1).body, { size: 12 * MIB })).rejects.toThrow(/announced/)
      expect(await storage.head('sz/small')).toBeUndefined()
      expect(await storage.head('sz/big')).toBeUndefined()
      const listed: string[] = []
      for await (const item of storage.list('')) {
        listed.push(item.key)
      }
      expect(listed).toEqual([])
    } finally {
      await storage.close()
    }
  })

  it('opens s3:// URLs with the standard AWS environment and refuses wrong credentials clearly', async () => {
    await server.createBucket('env-bucket')
    const env = {
      AWS_ENDPOINT_URL_S3: server.endpoint,
      AWS_REGION: server.region,
      AWS_ACCESS_KEY_ID: server.accessKey,
      AWS_SECRET_ACCESS_KEY: server.secretKey,
    }
    const saved = { ...process.env }
    Object.assign(process.env, env)
    try {
      const storage = await openStorage('s3://env-bucket/p')
      expect(storage.url).toBe('s3://env-bucket/p')
      await storage.put('k', Buffer.from('v'))
      expect((await readAll(await storage.get('k'))).toString()).toBe('v')
      await storage.close()
      const wrong = await openStorage('s3://env-bucket/p', { s3: { credentials: { accessKeyId: server.accessKey, secretAccessKey: 'wrong-secret' } } })
      const failure = await wrong.head('k').catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(StorageRequestError)
      expect((failure as Error).message).toBe('head s3://env-bucket/p/k: HTTP 403 (check the credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE)')
      const putFailure = await wrong.put('k2', Buffer.from('v')).catch((error: unknown) => error)
      expect(putFailure).toBeInstanceOf(StorageRequestError)
      expect((putFailure as Error).message).toMatch(/^put s3:\/\/env-bucket\/p\/k2: SignatureDoesNotMatch, HTTP 403.*check the credentials/)
      expect((putFailure as Error).message).not.toContain('wrong-secret')
      await wrong.close()
    } finally {
      for (const name of Object.keys(env)) {
        if (saved[name] === undefined) {
          delete process.env[name]
        } else {
          process.env[name] = saved[name]
        }
      }
    }
  })
})

describe('S3Storage against a dead endpoint', () => {
  it('fails within the deadline with a clear error when nothing listens', async () => {
    const port = await closedPort()
    const storage = new S3Storage('bucket', '', {
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      env: {},
      retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
    })
    const started = Date.now()
    const failure = await storage.head('k').catch((error: unknown) => error)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(failure).toBeInstanceOf(StorageRequestError)
    expect((failure as Error).message).toMatch(/ECONNREFUSED.*after 3 attempts/)
    await storage.close()
  })

  it('fails within the deadline when the endpoint accepts connections and never answers', async () => {
    const sockets: Socket[] = []
    const silent: Server = createServer((socket) => void sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const address = silent.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const storage = new S3Storage('bucket', '', {
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      env: {},
      requestTimeoutMs: 400,
      retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
    })
    try {
      const started = Date.now()
      const failures = await Promise.all([
        storage.head('k').catch((error: unknown) => error),
        storage.put('k', Buffer.from('x')).catch((error: unknown) => error),
        storage.get('k').catch((error: unknown) => error),
      ])
      const elapsed = Date.now() - started
      expect(elapsed).toBeGreaterThanOrEqual(3 * 400)
      expect(elapsed).toBeLessThan(5_000)
      for (const failure of failures) {
        expect(failure).toBeInstanceOf(StorageTimeoutError)
        expect((failure as Error).message).toMatch(/no answer within the deadline after 3 attempts; is the endpoint up/)
      }
    } finally {
      await storage.close()
      for (const socket of sockets) {
        socket.destroy()
      }
      await new Promise((resolve) => silent.close(resolve))
    }
  })
})

describe('S3Storage against a server that stalls mid-download', () => {
  it('fails the read once the socket is idle too long instead of hanging', async () => {
    const { createServer: createHttpServer } = await import('node:http')
    const stalled = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-length': '1000', 'content-type': 'application/octet-stream', 'last-modified': new Date().toUTCString() })
      response.write(Buffer.alloc(10))
      // …and never the other 990 bytes
    })
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve))
    const address = stalled.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const storage = new S3Storage('bucket', '', {
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      env: {},
      idleTimeoutMs: 500,
    })
    try {
      const started = Date.now()
      const stream = await storage.get('k')
      const failure = await readAll(stream).catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(StorageTimeoutError)
      expect((failure as Error).message).toMatch(/^read s3:\/\/bucket\/k: no answer within the deadline/)
      expect(Date.now() - started).toBeLessThan(5_000)
    } finally {
      await storage.close()
      stalled.closeAllConnections()
      await new Promise((resolve) => stalled.close(resolve))
    }
  })
})

async function closedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const address = probe.address()
  await new Promise((resolve) => probe.close(resolve))
  return typeof address === 'object' && address ? address.port : 1
}
