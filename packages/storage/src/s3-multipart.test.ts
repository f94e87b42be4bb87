import { describe, expect, it } from 'vitest'
import { PartReader } from './body.js'
import { StorageIntegrityError } from './errors.js'
import { MIB } from './part-size.js'
import { uploadMultipart } from './s3-multipart.js'
import type { CompletedPart, MultipartOps } from './s3-multipart.js'

/** Records what an upload does; parts "upload" after a short delay. Not an S3 server: the part logic only. */
function recorder(failPart?: number): MultipartOps & { log: string[]; inFlight: number; maxInFlight: number; buffers: Set<ArrayBufferLike>; data: Buffer[] } {
  const state = {
    log: [] as string[],
    inFlight: 0,
    maxInFlight: 0,
    buffers: new Set<ArrayBufferLike>(),
    data: [] as Buffer[],
    create: async () => {
      state.log.push('create')
      return 'upload-1'
    },
    uploadPart: async (_id: string, n: number, body: Buffer) => {
      state.inFlight++
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight)
      state.buffers.add(body.buffer)
      state.data[n - 1] = Buffer.from(body)
      await new Promise((resolve) => setTimeout(resolve, 2))
      state.inFlight--
      if (n === failPart) {
        throw new Error(`part ${n} failed`)
      }
      return `"etag-${n}"`
    },
    complete: async (_id: string, parts: readonly CompletedPart[]) => {
      state.log.push(`complete ${parts.map((p) => `${p.PartNumber}=${p.ETag}`).join(',')}`)
    },
    abort: async () => {
      state.log.push('abort')
    },
  }
  return state
}

async function* stream(size: number, chunk = 300_000): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < size; at += chunk) {
    const piece = Buffer.alloc(Math.min(chunk, size - at))
    for (let i = 0; i < piece.length; i++) {
      piece[i] = (at + i) % 251
    }
    yield piece
  }
}

async function run(size: number, parallelParts: number, ops: ReturnType<typeof recorder>, announced?: number): Promise<number> {
  const reader = new PartReader(stream(size))
  const first = await reader.next(5 * MIB)
  return uploadMultipart(ops, reader, first, { key: 'k', size: announced, basePartSize: 5 * MIB, parallelParts })
}

describe('uploadMultipart', () => {
  it('uploads parts in order with bounded parallelism, reusing one buffer per slot', async () => {
    const ops = recorder()
    const size = 12.5 * 5 * MIB
    expect(await run(size, 3, ops)).toBe(size)
    expect(ops.maxInFlight).toBe(3)
    // 13 parts through 3 slots: the buffers are recycled (the first part's buffer plus one per slot at most).
    expect(ops.buffers.size).toBeLessThanOrEqual(4)
    expect(ops.log).toEqual(['create', `complete ${Array.from({ length: 13 }, (_, i) => `${i + 1}="etag-${i + 1}"`).join(',')}`])
    const whole = Buffer.concat(ops.data)
    expect(whole.length).toBe(size)
    expect(whole.every((byte, i) => byte === i % 251)).toBe(true)
  })

  it('aborts the upload when a part fails, and completes nothing', async () => {
    const ops = recorder(4)
    await expect(run(8 * 5 * MIB, 2, ops)).rejects.toThrow('part 4 failed')
    expect(ops.log).toEqual(['create', 'abort'])
  })

  it('aborts when the body differs from the announced size', async () => {
    const ops = recorder()
    await expect(run(3 * 5 * MIB, 2, ops, 4 * 5 * MIB)).rejects.toBeInstanceOf(StorageIntegrityError)
    expect(ops.log).toEqual(['create', 'abort'])
  })
})

describe('PartReader', () => {
  it('cuts a stream into exact parts whatever the chunk boundaries, the last one short', async () => {
    for (const chunk of [1, 7, 1000, 4096, 10_000]) {
      const reader = new PartReader(stream(10_000, chunk))
      const sizes: number[] = []
      for (;;) {
        const part = await reader.next(4096)
        if (part.length === 0) {
          break
        }
        sizes.push(part.length)
      }
      expect(sizes).toEqual([4096, 4096, 1808])
      expect(reader.bytesRead).toBe(10_000)
      expect(await reader.atEnd()).toBe(true)
    }
  })

  it('tells the end of a stream that is exactly one part long', async () => {
    const reader = new PartReader(stream(4096, 1024))
    expect((await reader.next(4096)).length).toBe(4096)
    expect(await reader.atEnd()).toBe(true)
  })
})
