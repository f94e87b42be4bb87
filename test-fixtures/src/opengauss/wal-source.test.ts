import { describe, expect, it } from 'vitest'
import { OG_WAL_SEGMENT_SIZE, OG_XLOG_PAGE_MAGIC } from './constants.js'
import { readWal } from './wal-source.js'

const source = { timeline: 1, systemId: 42n, oldestLsn: 0x2000000n, flushLsn: 0x2004000n }

describe('readWal', () => {
  it('starts a segment with the long page header, little-endian', () => {
    const page = readWal(source, 0x2000000n, 8192)
    expect(page.readUInt16LE(0)).toBe(OG_XLOG_PAGE_MAGIC)
    expect(page.readUInt16LE(2)).toBe(2)
    expect(page.readUInt32LE(4)).toBe(1)
    expect(page.readBigUInt64LE(8)).toBe(0x2000000n)
    expect(page.readBigUInt64LE(24)).toBe(42n)
    expect(page.readUInt32LE(32)).toBe(OG_WAL_SEGMENT_SIZE)
    expect(page.readUInt32LE(36)).toBe(8192)
  })

  it('gives later pages the short header', () => {
    const page = readWal(source, 0x2002000n, 24)
    expect(page.readUInt16LE(2)).toBe(0)
    expect(page.readBigUInt64LE(8)).toBe(0x2002000n)
  })

  it('is the same bytes however it is sliced, and zero past the flush position', () => {
    const whole = readWal(source, 0x2000000n, 0x5000)
    const parts = Buffer.concat([readWal(source, 0x2000000n, 1000), readWal(source, 0x2000000n + 1000n, 0x5000 - 1000)])
    expect(parts.equals(whole)).toBe(true)
    expect(whole.subarray(0x4000).every((b) => b === 0)).toBe(true)
    expect(whole.subarray(0x100, 0x4000).some((b) => b !== 0)).toBe(true)
  })
})
