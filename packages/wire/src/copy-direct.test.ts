import { describe, expect, it } from 'vitest'
import { BackendDecoder, type BackendMessage } from './backend-message.js'
import { DirectCopyParser, type OtherMessageOutcome } from './copy-direct.js'
import { frame } from './testing/frames.js'

const decoder = new BackendDecoder()

function int64(value: number): Buffer {
  const out = Buffer.alloc(8)
  out.writeBigInt64BE(BigInt(value))
  return out
}

/** A PostgreSQL 15+ archive: data, progress and data again, then the manifest announcement and CopyDone. */
function copyStream(): { bytes: Buffer; data: Buffer } {
  const first = Buffer.alloc(40_000, 1)
  const second = Buffer.from('second piece')
  const bytes = Buffer.concat([
    frame('d', 'd', first),
    frame('d', 'p', int64(40_000)),
    frame('d', 'd', second),
    frame('d', 'm'),
    frame('c'),
  ])
  return { bytes, data: Buffer.concat([first, second]) }
}

interface Run {
  data: Buffer
  others: string[]
  flushes: number
  rest: Buffer | undefined
}

/** Feeds `bytes` in pieces of `size` through one reused buffer, as the socket's reads do. */
function feed(bytes: Buffer, size: number, prefix: number | undefined, decide: (message: BackendMessage) => OtherMessageOutcome): Run {
  const run: Run = { data: Buffer.alloc(0), others: [], flushes: 0, rest: undefined }
  let pending: Buffer[] = []
  const parser = new DirectCopyParser(
    {
      data: (piece) => pending.push(Buffer.from(piece)),
      flush: () => {
        run.flushes++
        run.data = Buffer.concat([run.data, ...pending])
        pending = []
      },
      other: (message) => {
        run.others.push(message.name === 'copyData' ? `copyData:${String.fromCharCode(message.data[0] as number)}` : message.name)
        return decide(message)
      },
    },
    (frame) => decoder.decode(frame),
    prefix
  )
  const reused = Buffer.alloc(size)
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.subarray(at, at + size)
    piece.copy(reused)
    const rest = parser.push(reused.subarray(0, piece.length))
    if (rest !== undefined) {
      run.rest = Buffer.concat([rest, bytes.subarray(at + piece.length)])
      break
    }
    reused.fill(0xee)
  }
  return run
}

describe('direct CopyData parser', () => {
  it('hands out the archive data of a PostgreSQL 15+ stream, whatever the read sizes, and stops before the manifest', () => {
    const { bytes, data } = copyStream()
    const stopAt = bytes.length - 5 - 6
    for (const size of [1, 2, 5, 6, 7, 100, 32_768, bytes.length]) {
      const run = feed(bytes, size, 0x64, (message) => (message.name === 'copyData' && message.data[0] === 0x6d ? 'stop-before' : 'continue'))
      expect(run.data.equals(data)).toBe(true)
      expect(run.others).toEqual(['copyData:p', 'copyData:m'])
      // The manifest message and what follows go back to the ordinary path, byte for byte.
      expect(run.rest?.equals(bytes.subarray(stopAt))).toBe(true)
      expect(run.flushes).toBeGreaterThan(0)
    }
  })

  it('treats every CopyData as data without a prefix (legacy COPY) and consumes CopyDone when asked to', () => {
    const body = Buffer.alloc(70_000, 7)
    const bytes = Buffer.concat([frame('d', body.subarray(0, 30_000)), frame('d', body.subarray(30_000)), frame('c'), frame('C', 'SELECT\0')])
    for (const size of [3, 4096, bytes.length]) {
      const run = feed(bytes, size, undefined, () => 'stop-after')
      expect(run.data.equals(body)).toBe(true)
      expect(run.others).toEqual(['copyDone'])
      expect(run.rest?.equals(frame('C', 'SELECT\0'))).toBe(true)
    }
  })

  it('fails on a length no server sends', () => {
    const bad = Buffer.from([0x64, 0xff, 0xff, 0xff, 0xff])
    expect(() => feed(bad, 5, undefined, () => 'continue')).toThrow('invalid message length')
  })
})
