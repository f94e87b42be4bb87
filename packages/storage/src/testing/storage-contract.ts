// The driver contract: the same tests for every Storage driver (a directory, Ceph's S3).
import { createHash, randomBytes } from 'node:crypto'
import type { Readable } from 'node:stream'
import { expect, it } from 'vitest'
import { StorageExistsError, StorageNotFoundError, StorageUsageError } from '../errors.js'
import type { Storage } from '../storage.js'

export interface ContractOptions {
  /** A fresh, empty storage for one test. */
  readonly open: () => Promise<Storage>
  /** Size of the large streamed object (several multipart parts for S3). */
  readonly largeSize: number
  /** Upper bound of the ArrayBuffer memory the large put may add (flat memory), or undefined. */
  readonly largeMemoryBound?: number
  /** After a failed put: throws if the driver left anything behind (temporary files, multipart uploads). */
  readonly assertNothingLeft?: (storage: Storage) => Promise<void>
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** A lazily generated stream of `size` pseudo-random bytes in 64 KiB chunks; its sha256 at the end. */
export function generatedBody(size: number, seed: number): { body: AsyncIterable<Uint8Array>; sha256: () => string } {
  const hash = createHash('sha256')
  const block = createHash('sha512').update(`seed-${seed}`).digest()
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let left = size
    let n = 0
    while (left > 0) {
      const chunk = Buffer.alloc(Math.min(65536, left))
      for (let i = 0; i < chunk.length; i += 64) {
        block.copy(chunk, i)
        chunk.writeUInt32BE(n++ >>> 0, i)
      }
      hash.update(chunk)
      left -= chunk.length
      yield chunk
    }
  }
  return { body: chunks(), sha256: () => hash.digest('hex') }
}

async function sha256Of(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of stream) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { sha256: hash.digest('hex'), size }
}

async function withStorage(options: ContractOptions, fn: (storage: Storage) => Promise<void>): Promise<void> {
  const storage = await options.open()
  try {
    await fn(storage)
  } finally {
    await storage.close()
  }
}

export function storageContract(options: ContractOptions): void {
  it('round-trips bytes byte for byte, from a buffer and from a stream', async () => {
    await withStorage(options, async (storage) => {
      const data = randomBytes(300_000)
      expect(await storage.put('a/b/one.bin', data)).toEqual({ key: 'a/b/one.bin', size: data.length })
      expect((await readAll(await storage.get('a/b/one.bin'))).equals(data)).toBe(true)
      const { Readable } = await import('node:stream')
      await storage.put('a/two.bin', Readable.from([data.subarray(0, 1000), data.subarray(1000)]))
      expect((await readAll(await storage.get('a/two.bin'))).equals(data)).toBe(true)
      await storage.put('empty', new Uint8Array(0))
      expect((await readAll(await storage.get('empty'))).length).toBe(0)
      await storage.put('a/b/one.bin', Buffer.from('replaced'))
      expect((await readAll(await storage.get('a/b/one.bin'))).toString()).toBe('replaced')
    })
  })

  it('reads a byte range, to the end or to an end offset', async () => {
    await withStorage(options, async (storage) => {
      const data = randomBytes(10_000)
      await storage.put('r', data)
      expect((await readAll(await storage.get('r', { range: { start: 100, end: 199 } }))).equals(data.subarray(100, 200))).toBe(true)
      expect((await readAll(await storage.get('r', { range: { start: 9_990 } }))).equals(data.subarray(9_990))).toBe(true)
    })
  })

  it('heads a key, and reports a missing key as undefined on head and NOT_FOUND on get', async () => {
    await withStorage(options, async (storage) => {
      await storage.put('h/x', Buffer.from('12345'))
      const info = await storage.head('h/x')
      expect(info?.key).toBe('h/x')
      expect(info?.size).toBe(5)
      expect(info?.lastModified).toBeInstanceOf(Date)
      expect(await storage.head('h/missing')).toBeUndefined()
      expect(await storage.head('h')).toBeUndefined()
      await expect(storage.get('h/missing')).rejects.toBeInstanceOf(StorageNotFoundError)
      await expect(storage.get('h')).rejects.toBeInstanceOf(StorageNotFoundError)
      await expect(storage.get('h/x', { range: { start: 3, end: 1 } })).rejects.toBeInstanceOf(StorageUsageError)
    })
  })

  it('lists every key under a prefix in key order across pages', async () => {
    await withStorage(options, async (storage) => {
      const keys = Array.from({ length: 23 }, (_, i) => `l/${String(i).padStart(3, '0')}`)
      keys.push('l/sub/deep', 'l-sibling', 'other/x')
      await Promise.all(keys.map((key) => storage.put(key, Buffer.from(key))))
      const listed: string[] = []
      for await (const info of storage.list('l/', { pageSize: 5 })) {
        listed.push(info.key)
        expect(info.size).toBe(Buffer.byteLength(info.key))
      }
      expect(listed).toEqual(keys.filter((k) => k.startsWith('l/')).sort())
      const all: string[] = []
      for await (const info of storage.list('', { pageSize: 7 })) {
        all.push(info.key)
      }
      expect(all).toEqual([...keys].sort())
      const partial: string[] = []
      for await (const info of storage.list('l/00', { pageSize: 2 })) {
        partial.push(info.key)
      }
      expect(partial).toEqual(keys.filter((k) => k.startsWith('l/00')))
    })
  })

  it('lists from after a key (startAfter), as a paged listing resumes', async () => {
    await withStorage(options, async (storage) => {
      const keys = ['s/a/1', 's/a/2', 's/b/1', 's/b/2/x', 's/c']
      await Promise.all(keys.map((key) => storage.put(key, Buffer.from('x'))))
      const after = async (startAfter: string): Promise<string[]> => {
        const found: string[] = []
        for await (const info of storage.list('s/', { startAfter, pageSize: 2 })) {
          found.push(info.key)
        }
        return found
      }
      expect(await after('s/a/1')).toEqual(['s/a/2', 's/b/1', 's/b/2/x', 's/c'])
      expect(await after('s/a/9')).toEqual(['s/b/1', 's/b/2/x', 's/c'])
      expect(await after('s/b/2/x')).toEqual(['s/c'])
      expect(await after('s/')).toEqual(keys)
      expect(await after('s/z')).toEqual([])
    })
  })

  it('deletes keys in a batch, missing keys included', async () => {
    await withStorage(options, async (storage) => {
      const keys = Array.from({ length: 12 }, (_, i) => `d/${i}`)
      await Promise.all(keys.map((key) => storage.put(key, Buffer.from('x'))))
      await storage.delete([...keys.slice(0, 10), 'd/missing'])
      const left: string[] = []
      for await (const info of storage.list('d/')) {
        left.push(info.key)
      }
      expect(left).toEqual(['d/10', 'd/11'])
      await storage.delete([])
    })
  })

  it('refuses a create-only put of an existing key and keeps the stored object', async () => {
    await withStorage(options, async (storage) => {
      await storage.put('c/k', Buffer.from('first'), { createOnly: true })
      await expect(storage.put('c/k', Buffer.from('second'), { createOnly: true })).rejects.toBeInstanceOf(StorageExistsError)
      expect((await readAll(await storage.get('c/k'))).toString()).toBe('first')
    })
  })

  it('lets exactly one of several concurrent create-only puts of one key win', async () => {
    await withStorage(options, async (storage) => {
      const bodies = Array.from({ length: 6 }, (_, i) => Buffer.from(`writer ${i}`))
      const results = await Promise.allSettled(bodies.map((body) => storage.put('race/k', body, { createOnly: true })))
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []))
      expect(won).toHaveLength(1)
      for (const r of results) {
        if (r.status === 'rejected') {
          expect(r.reason).toBeInstanceOf(StorageExistsError)
        }
      }
      expect((await readAll(await storage.get('race/k'))).toString()).toBe(`writer ${won[0]}`)
    })
  })

  it('streams a large object of unknown length in and out byte for byte with flat memory', async () => {
    await withStorage(options, async (storage) => {
      const generated = generatedBody(options.largeSize, 7)
      const before = process.memoryUsage().arrayBuffers
      let peak = before
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers)
      }, 5)
      try {
        const result = await storage.put('big/object', generated.body)
        expect(result.size).toBe(options.largeSize)
      } finally {
        clearInterval(sampler)
      }
      if (options.largeMemoryBound !== undefined) {
        console.info(`${storage.url}: ${options.largeSize} bytes streamed in, ArrayBuffer memory peaked ${peak - before} bytes above the start`)
        expect(peak - before).toBeLessThan(options.largeMemoryBound)
      }
      expect((await storage.head('big/object'))?.size).toBe(options.largeSize)
      expect(await sha256Of(await storage.get('big/object'))).toEqual({ sha256: generated.sha256(), size: options.largeSize })
    })
  })

  it('leaves nothing behind when the body fails midway or the put is aborted', async () => {
    await withStorage(options, async (storage) => {
      async function* failing(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 7; i++) {
          yield Buffer.alloc(1024 * 1024, i)
        }
        throw new Error('source read failed')
      }
      await expect(storage.put('f/broken', failing())).rejects.toThrow('source read failed')
      await expect(storage.put('f/broken', failing(), { createOnly: true })).rejects.toThrow('source read failed')
      const controller = new AbortController()
      async function* slow(): AsyncGenerator<Uint8Array> {
        yield Buffer.alloc(1024)
        controller.abort(new Error('stopped by the caller'))
        yield Buffer.alloc(1024)
      }
      await expect(storage.put('f/aborted', slow(), { signal: controller.signal })).rejects.toThrow('stopped by the caller')
      expect(await storage.head('f/broken')).toBeUndefined()
      expect(await storage.head('f/aborted')).toBeUndefined()
      const left: string[] = []
      for await (const info of storage.list('')) {
        left.push(info.key)
      }
      expect(left).toEqual([])
      await options.assertNothingLeft?.(storage)
    })
  })
}
