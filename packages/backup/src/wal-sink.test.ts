import { execFileSync } from 'node:child_process'
import { createWriteStream, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import { createTarPacker } from '@tidemark/archive'
import { DirectoryWalSink, TarWalSink } from './wal-sink.js'

const MB = 1024 * 1024
const SEGMENT = MB

function walBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length)
  for (let i = 0; i < length; i += 1) {
    bytes[i] = (i * 31 + seed) & 0xff
  }
  return bytes
}

describe('DirectoryWalSink', () => {
  it('cuts the stream into segments and pads the last one to full size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-walsink-'))
    const sink = new DirectoryWalSink(dir, 1, SEGMENT, false)
    const first = walBytes(SEGMENT + 1000, 1)
    // Messages that straddle a segment boundary are split at it.
    await sink.write(BigInt(3 * SEGMENT), first.subarray(0, 700_000))
    await sink.write(BigInt(3 * SEGMENT + 700_000), first.subarray(700_000))
    await sink.finish()
    expect(readdirSync(dir).sort()).toEqual(['000000010000000000000003', '000000010000000000000004'])
    expect(readFileSync(join(dir, '000000010000000000000003')).equals(first.subarray(0, SEGMENT))).toBe(true)
    const last = readFileSync(join(dir, '000000010000000000000004'))
    expect(last.length).toBe(SEGMENT)
    expect(last.subarray(0, 1000).equals(first.subarray(SEGMENT))).toBe(true)
    expect(last.subarray(1000).every((byte) => byte === 0)).toBe(true)
    expect(sink.segments).toEqual(['000000010000000000000003', '000000010000000000000004'])
  })

  it('refuses a stream that skips bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-walsink-'))
    const sink = new DirectoryWalSink(dir, 1, SEGMENT, false)
    await sink.write(0n, walBytes(100, 0))
    await expect(sink.write(200n, walBytes(100, 0))).rejects.toThrow(/skipped from offset 100 to 200/)
    await sink.abort()
  })
})

describe('TarWalSink', () => {
  it('writes one full-size tar entry per segment that GNU tar reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-walsink-'))
    const packer = createTarPacker()
    const file = join(dir, 'pg_wal.tar')
    const written = pipeline(packer.stream, createWriteStream(file))
    const sink = new TarWalSink(packer, 2, SEGMENT)
    const data = walBytes(SEGMENT + 10, 7)
    await sink.write(0n, data)
    await sink.finish()
    packer.finalize()
    await written
    const listing = execFileSync('tar', ['-tvf', file]).toString()
    expect(listing).toMatch(/1048576 .* 000000020000000000000000/)
    expect(listing).toMatch(/1048576 .* 000000020000000000000001/)
    const out = mkdtempSync(join(tmpdir(), 'tidemark-walsink-x-'))
    execFileSync('tar', ['-xf', file, '-C', out])
    expect(readFileSync(join(out, '000000020000000000000000')).equals(data.subarray(0, SEGMENT))).toBe(true)
  })
})
