import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BatchedFileWriter } from './batched-file-writer.js'

describe('BatchedFileWriter', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tidemark-batched-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes every byte in order, across batch boundaries and uneven chunks', async () => {
    const chunks = Array.from({ length: 200 }, (_, i) => randomBytes(1 + ((i * 7919) % 40_000)))
    const writer = new BatchedFileWriter(join(dir, 'out'), { batchBytes: 64 * 1024 })
    await pipeline(Readable.from(chunks), writer)
    const expected = Buffer.concat(chunks)
    const actual = await readFile(join(dir, 'out'))
    expect(createHash('sha256').update(actual).digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'))
    expect(writer.bytesWritten).toBe(expected.length)
    expect(writer.closed).toBe(true)
  })

  it('never replaces an existing file', async () => {
    await writeFile(join(dir, 'there'), 'keep')
    await expect(pipeline(Readable.from([Buffer.from('x')]), new BatchedFileWriter(join(dir, 'there')))).rejects.toMatchObject({ code: 'EEXIST' })
    expect(await readFile(join(dir, 'there'), 'utf8')).toBe('keep')
  })

  it('fails the pipeline when a write fails', async () => {
    // /dev/full answers every write with ENOSPC.
    const writer = new BatchedFileWriter('/dev/full', { flags: 'w', batchBytes: 1024 })
    await expect(pipeline(Readable.from([randomBytes(4096), randomBytes(4096), randomBytes(4096)]), writer)).rejects.toMatchObject({ code: 'ENOSPC' })
  })
})
