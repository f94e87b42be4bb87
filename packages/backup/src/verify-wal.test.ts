import { formatLsn, segmentFileName, segmentStartLsn } from '@tidemark/wal'
import { describe, expect, it } from 'vitest'
import { WalChecker } from './verify-wal.js'

const SEGMENT = 1024 * 1024
const PAGE = 8192
const MAGIC = 0xd106
const SYSID = 7000000000000000001n

/** A 1 MB segment whose first `pages` pages carry valid headers; the rest is zero (never written). */
function segment(number: bigint, pages: number, options: { sysid?: bigint; stalePage?: number; badPage?: number } = {}): Buffer {
  const bytes = Buffer.alloc(SEGMENT)
  const start = segmentStartLsn(number, SEGMENT)
  const write = (index: number, address: bigint): void => {
    const offset = index * PAGE
    bytes.writeUInt16LE(MAGIC, offset)
    bytes.writeUInt16LE(index === 0 ? 0x0002 : 0, offset + 2)
    bytes.writeUInt32LE(1, offset + 4)
    bytes.writeBigUInt64LE(address, offset + 8)
    if (index === 0) {
      bytes.writeBigUInt64LE(options.sysid ?? SYSID, 24)
      bytes.writeUInt32LE(SEGMENT, 32)
      bytes.writeUInt32LE(PAGE, 36)
    }
  }
  for (let index = 0; index < pages; index += 1) {
    write(index, index === options.badPage ? start : start + BigInt(index * PAGE))
  }
  if (options.stalePage !== undefined) {
    // A recycled segment: an old page beyond what was written.
    write(options.stalePage, 0x12345678n * BigInt(PAGE))
  }
  return bytes
}

async function* once(bytes: Buffer): AsyncGenerator<Uint8Array> {
  yield bytes
}

function range(fromSegment: bigint, fromOffset: number, toSegment: bigint, toOffset: number): { timeline: number; startLsn: string; endLsn: string } {
  return {
    timeline: 1,
    startLsn: formatLsn(segmentStartLsn(fromSegment, SEGMENT) + BigInt(fromOffset)),
    endLsn: formatLsn(segmentStartLsn(toSegment, SEGMENT) + BigInt(toOffset)),
  }
}

async function check(ranges: ReturnType<typeof range>[], segments: Array<[bigint, Buffer]>, sysid?: string): Promise<Array<{ kind: string; file: string; detail: string }>> {
  const checker = new WalChecker(ranges, sysid)
  for (const [number, bytes] of segments) {
    const name = segmentFileName(1, number, SEGMENT)
    await checker.add(`pg_wal/${name}`, name, once(bytes))
  }
  return checker.finish('pg_wal')
}

describe('WalChecker', () => {
  it('accepts segments written up to the end LSN, ignoring old pages past it', async () => {
    expect(await check([range(2n, 40, 3n, 3 * PAGE + 100)], [[2n, segment(2n, 128)], [3n, segment(3n, 5, { stalePage: 20 })]], SYSID.toString())).toEqual([])
  })

  it('names a missing segment', async () => {
    const problems = await check([range(2n, 40, 3n, 100)], [[2n, segment(2n, 128)]])
    expect(problems).toEqual([
      { kind: 'wal-missing', file: 'pg_wal/000000010000000000000003', detail: expect.stringContaining('is needed and not in the backup') },
    ])
  })

  it('names a segment that ends before the end LSN, one with a wrong page address, and one of another system', async () => {
    const short = await check([range(2n, 40, 2n, 6 * PAGE)], [[2n, segment(2n, 3)]])
    expect(short).toEqual([{ kind: 'wal-corrupt', file: 'pg_wal/000000010000000000000002', detail: expect.stringContaining('holds written WAL for 24576 bytes only') }])
    const jumbled = await check([range(2n, 40, 2n, 6 * PAGE)], [[2n, segment(2n, 8, { badPage: 4 })]])
    expect(jumbled[0]?.detail).toMatch(/page 4 is at .*, expected/)
    const foreign = await check([range(2n, 40, 2n, PAGE)], [[2n, segment(2n, 2, { sysid: 42n })]], SYSID.toString())
    expect(foreign[0]?.detail).toMatch(/belongs to database system 42, not 7000000000000000001/)
  })

  it('names a segment of the wrong size', async () => {
    const problems = await check([range(2n, 40, 2n, PAGE)], [[2n, segment(2n, 2).subarray(0, SEGMENT / 2)]])
    expect(problems[0]).toMatchObject({ kind: 'wal-corrupt', detail: expect.stringContaining('not a whole 1048576-byte segment') })
  })
})
