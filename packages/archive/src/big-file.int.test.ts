// A file larger than the 8 GiB ustar limit, streamed through our tar writer into GNU tar: the pax
// size record must be honoured (slow: ~8 GiB through a pipe, so it lives with the integration tests).
import { spawn } from 'node:child_process'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import { createTarPacker } from './tar-pack.js'
import { hasTool } from './testing/streams.js'

const SIZE = 8 * 1024 ** 3 + 12345

function zeros(size: number): Readable {
  const chunk = Buffer.alloc(1024 * 1024)
  let left = size
  return new Readable({
    read(): void {
      if (left === 0) {
        this.push(null)
        return
      }
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left)
      left -= piece.length
      this.push(piece)
    },
  })
}

describe('files over 8 GiB', () => {
  it('GNU tar lists the size our pax record carries', async (context) => {
    if (!hasTool('tar')) {
      console.warn('skipped: tar is not installed')
      context.skip()
    }
    const tar = spawn('tar', ['--utc', '-tvf', '-'], { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    tar.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    tar.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => tar.on('close', resolve))
    const packer = createTarPacker()
    const piped = pipeline(packer.stream, tar.stdin)
    await packer.add({ name: 'base/16384/huge', size: SIZE, mtime: new Date(Date.UTC(2024, 0, 1)) }, zeros(SIZE))
    await packer.add({ name: 'after' }, Buffer.from('x'))
    packer.finalize()
    await piped
    expect(await exited).toBe(0)
    expect(stderr).toBe('')
    const lines = stdout.trim().split('\n')
    expect(lines[0]).toMatch(new RegExp(` ${SIZE} 2024-01-01 00:00 base/16384/huge$`))
    expect(lines[1]).toMatch(/ 1 .* after$/)
  }, 300_000)
})
