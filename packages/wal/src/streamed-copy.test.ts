import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { copyBehindHeaderDurably, copyOutVerified } from './streamed-copy.js'
import { tempDir } from './testing/temp-dir.js'

const header = (sha256: string, size: number): Buffer => Buffer.from(`H ${sha256} ${size}\n`)
type Check = (first: Buffer, size: number) => Promise<void>
const accept: Check = async () => undefined
const options = { header, headerLength: (size: number): number => header('0'.repeat(64), size).length }

async function copy(source: string, target: string, check: Check = accept): ReturnType<typeof copyBehindHeaderDurably> {
  const handle = await open(source, 'r')
  try {
    return await copyBehindHeaderDurably(handle, source, target, { ...options, check })
  } finally {
    await handle.close()
  }
}

describe('copy behind a header', () => {
  it('copies a file of several pieces behind the header that names its sha256', async () => {
    const dir = tempDir()
    // 3.5 MiB: three whole pieces of 1 MiB and a partial one, through the three rotating buffers.
    const bytes = randomBytes(3.5 * 1024 * 1024)
    writeFileSync(join(dir, 'source'), bytes)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    expect(await copy(join(dir, 'source'), join(dir, 'target'))).toEqual({ outcome: 'written', sha256, size: bytes.length })
    expect(readFileSync(join(dir, 'target')).equals(Buffer.concat([header(sha256, bytes.length), bytes]))).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['source', 'target'])
  })

  it('never replaces an existing file, and writes nothing when the check refuses', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'source'), randomBytes(100_000))
    writeFileSync(join(dir, 'target'), 'archived before')
    expect((await copy(join(dir, 'source'), join(dir, 'target'))).outcome).toBe('exists')
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('archived before')
    let seen = 0
    const refuse = async (first: Buffer, size: number): Promise<void> => {
      seen = size
      expect(first.length).toBe(size)
      throw new Error('not a WAL segment')
    }
    await expect(copy(join(dir, 'source'), join(dir, 'other'), refuse)).rejects.toThrow('not a WAL segment')
    expect(seen).toBe(100_000)
    expect(readdirSync(dir).sort()).toEqual(['source', 'target'])
  })
})

describe('copy out, verified', () => {
  it('copies the bytes behind a header, and refuses a damaged copy without writing the target', async () => {
    const dir = tempDir()
    const bytes = randomBytes(3.5 * 1024 * 1024)
    const expected = { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length }
    const stored = Buffer.concat([Buffer.from('HEADER\n'), bytes])
    writeFileSync(join(dir, 'archived'), stored)
    const copyOut = async (target: string): Promise<void> => {
      const handle = await open(join(dir, 'archived'), 'r')
      try {
        await copyOutVerified(handle, 7, target, { expected, what: 'X in repo', sync: true, mode: 0o600 })
      } finally {
        await handle.close()
      }
    }
    await copyOut(join(dir, 'out'))
    expect(readFileSync(join(dir, 'out')).equals(bytes)).toBe(true)
    // A flipped byte in the third piece: found only once every piece was hashed.
    stored[7 + 2.5 * 1024 * 1024] = (stored[7 + 2.5 * 1024 * 1024] as number) ^ 1
    writeFileSync(join(dir, 'archived'), stored)
    await expect(copyOut(join(dir, 'damaged'))).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WAL_CORRUPT', message: expect.stringContaining('X in repo is damaged: sha256') })
    writeFileSync(join(dir, 'archived'), stored.subarray(0, stored.length - 1))
    await expect(copyOut(join(dir, 'short'))).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WAL_CORRUPT' })
    expect(existsSync(join(dir, 'damaged')) || existsSync(join(dir, 'short'))).toBe(false)
    expect(readdirSync(dir).sort()).toEqual(['archived', 'out'])
  })
})
