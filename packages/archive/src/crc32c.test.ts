import { describe, expect, it } from 'vitest'
import { CRC32C_INIT, crc32c, crc32cFinal, crc32cUpdate } from './crc32c.js'
import { checksumOf, createFileChecksum, parseChecksumAlgorithm } from './checksum.js'
import { sampleBytes } from './testing/streams.js'

function bitwiseCrc32c(data: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of data) {
    crc ^= byte
    for (let k = 0; k < 8; k++) {
      crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1
    }
  }
  return (crc ^ 0xffffffff) >>> 0
}

describe('crc32c', () => {
  it('matches the standard check value and RFC 3720 vectors', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283)
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa)
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43)
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e)
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c)
    expect(crc32c(new Uint8Array(0))).toBe(0)
  })

  it('agrees with a bitwise implementation for every length 0..64 and when fed in pieces', () => {
    const data = sampleBytes(4099, 7)
    for (let length = 0; length <= 64; length++) {
      expect(crc32c(data.subarray(0, length))).toBe(bitwiseCrc32c(data.subarray(0, length)))
    }
    let state = CRC32C_INIT
    for (const cut of [0, 1, 3, 8, 13, 64, 1000, 4099]) {
      state = crc32cUpdate(state, data.subarray(Math.min(cut, data.length), Math.min(cut * 2 + 1, data.length)))
    }
    expect(crc32c(data)).toBe(bitwiseCrc32c(data))
    // Every alignment of the start and the end (the word path needs a 4-byte-aligned start).
    for (let start = 0; start < 8; start++) {
      for (const end of [start + 8, start + 15, start + 16, start + 17, 4099]) {
        expect(crc32c(data.subarray(start, end))).toBe(bitwiseCrc32c(data.subarray(start, end)))
      }
    }
    const whole = crc32cFinal(crc32cUpdate(crc32cUpdate(CRC32C_INIT, data.subarray(0, 1001)), data.subarray(1001)))
    expect(whole).toBe(crc32c(data))
  })
})

describe('file checksums', () => {
  it('write CRC32C as PostgreSQL does (little-endian bytes in hex)', () => {
    expect(checksumOf('CRC32C', Buffer.from('123456789'))).toBe('839206e3')
  })

  it('compute SHA-2 digests and NONE', () => {
    expect(checksumOf('SHA256', Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(checksumOf('SHA224', Buffer.from('abc'))).toBe('23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7')
    expect(checksumOf('SHA384', Buffer.from('abc'))).toHaveLength(96)
    expect(checksumOf('SHA512', Buffer.from('abc'))).toHaveLength(128)
    expect(checksumOf('NONE', Buffer.from('abc'))).toBe('')
    const incremental = createFileChecksum('SHA512')
    incremental.update(Buffer.from('a'))
    incremental.update(Buffer.from('bc'))
    expect(incremental.digest()).toBe(checksumOf('SHA512', Buffer.from('abc')))
  })

  it('parses algorithm names case-insensitively and refuses others', () => {
    expect(parseChecksumAlgorithm('sha256')).toBe('SHA256')
    expect(parseChecksumAlgorithm('crc32c')).toBe('CRC32C')
    expect(() => parseChecksumAlgorithm('md5')).toThrow(/unrecognized checksum algorithm "md5"/)
  })
})
