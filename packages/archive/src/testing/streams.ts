// Test helpers: not exported from the package.
import { spawnSync } from 'node:child_process'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Duplex } from 'node:stream'

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of source) {
    chunks.push(Buffer.from(chunk))
  }
  return Buffer.concat(chunks)
}

/** Runs bytes through transforms, feeding them in `chunkSize` pieces. */
export async function through(data: Buffer, transforms: Duplex[], chunkSize = 65536): Promise<Buffer> {
  const pieces: Buffer[] = []
  for (let i = 0; i < data.length; i += chunkSize) {
    pieces.push(data.subarray(i, i + chunkSize))
  }
  const out: Buffer[] = []
  const sink = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      out.push(chunk)
    }
  }
  const streams = [Readable.from(pieces), ...transforms, sink] as unknown as Parameters<typeof pipeline>
  await pipeline(...streams)
  return Buffer.concat(out)
}

/** Deterministic, moderately compressible bytes. */
export function sampleBytes(size: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(size)
  let x = seed >>> 0 || 1
  for (let i = 0; i < size; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = i % 7 === 0 ? x & 0xff : 97 + ((x >>> 8) % 4)
  }
  return out
}

/** Whether a command-line tool exists on PATH. */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0
}

export function run(command: string, args: string[], input?: Buffer): { status: number | null; stdout: Buffer; stderr: string } {
  const result = spawnSync(command, args, { input, maxBuffer: 1024 * 1024 * 1024 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString() }
}
