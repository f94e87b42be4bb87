// Flat memory: ~300 MB packed into a tar and compressed with parallel gzip, drained by a slow
// consumer, must not grow the heap and buffer memory by more than a small bound.
import { randomFillSync } from 'node:crypto'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createCompressor } from './codecs.js'
import { createTarPacker } from './tar-pack.js'

const MiB = 1024 * 1024
const TOTAL = 300 * MiB
const FILES = 6

/** Generated file content, produced on demand in 256 KiB chunks (never held whole). */
function generated(size: number, seed: number): Readable {
  let produced = 0
  return new Readable({
    highWaterMark: 256 * 1024,
    read(): void {
      if (produced >= size) {
        this.push(null)
        return
      }
      // Half random, half text: gzip has real work and the output is large, so the slow consumer
      // really holds the pipeline back.
      const chunk = Buffer.alloc(Math.min(256 * 1024, size - produced), `row ${seed} `)
      randomFillSync(chunk, 0, chunk.length >> 1)
      produced += chunk.length
      this.push(chunk)
    },
  })
}

function used(): number {
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.arrayBuffers
}

describe('memory', () => {
  it('packs and compresses 300 MB through a slow consumer with bounded memory', async () => {
    const baseline = used()
    let peak = 0
    const packer = createTarPacker()
    const compressor = createCompressor({ codec: 'gzip', level: 1 })
    packer.stream.pipe(compressor)
    const producer = (async (): Promise<void> => {
      for (let i = 0; i < FILES; i++) {
        await packer.add({ name: `base/1/${16384 + i}`, size: TOTAL / FILES }, generated(TOTAL / FILES, i))
      }
      packer.finalize()
    })()
    let compressed = 0
    let chunks = 0
    for await (const chunk of compressor) {
      compressed += (chunk as Buffer).length
      if (++chunks % 4 === 0) {
        // A slow consumer: a pause every few chunks.
        await new Promise((resolve) => setTimeout(resolve, 1))
        peak = Math.max(peak, used() - baseline)
      }
    }
    await producer
    expect(compressed).toBeGreaterThan(TOTAL / 3)
    console.log(`memory: ${TOTAL / MiB} MiB packed and gzipped to ${(compressed / MiB).toFixed(0)} MiB; peak growth ${(peak / MiB).toFixed(1)} MiB`)
    // 300 MB went through; buffers in flight are a few MiB (4 blocks of 1 MiB, stream buffers).
    // The bound leaves room for garbage not yet collected.
    expect(peak).toBeLessThan(80 * MiB)
  }, 60_000)
})
