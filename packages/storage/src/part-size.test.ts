import { describe, expect, it } from 'vitest'
import {
  basePartSize,
  MAX_OBJECT_SIZE,
  MAX_PART_SIZE,
  MAX_PARTS,
  MIB,
  MIN_PART_SIZE,
  partSize,
  partSizeForObject,
  partSizeForStream,
  streamCapacity,
} from './part-size.js'

const TB = 1e12

describe('part sizes', () => {
  it('keeps the base part size within 5 MiB to 5 GiB, in whole MiB', () => {
    expect(basePartSize(1)).toBe(MIN_PART_SIZE)
    expect(basePartSize(5 * MIB + 1)).toBe(6 * MIB)
    expect(basePartSize(16 * MIB)).toBe(16 * MIB)
    expect(basePartSize(10 * 1024 * MIB)).toBe(MAX_PART_SIZE)
  })

  it('never needs more than 10,000 parts, each at least 5 MiB, for known sizes up to 5 TiB', () => {
    const sizes = [0, 1, 5 * MIB, 17.5 * MIB, 1e9, 48.8e9, 50e9, 100e9, 1 * TB, 4.9 * TB, 5 * TB, MAX_OBJECT_SIZE - 1, MAX_OBJECT_SIZE]
    for (const size of sizes) {
      for (const asked of [undefined, 1, 5 * MIB, 64 * MIB]) {
        const part = partSizeForObject(size, asked)
        expect(part).toBeGreaterThanOrEqual(MIN_PART_SIZE)
        expect(part).toBeLessThanOrEqual(MAX_PART_SIZE)
        expect(part % MIB).toBe(0)
        expect(Math.ceil(size / part)).toBeLessThanOrEqual(MAX_PARTS)
      }
    }
    expect(partSizeForObject(MAX_OBJECT_SIZE)).toBe(525 * MIB)
    expect(partSizeForObject(100e9, 5 * MIB)).toBe(10 * MIB)
  })

  it('refuses sizes S3 cannot store', () => {
    expect(() => partSizeForObject(MAX_OBJECT_SIZE + 1)).toThrow(RangeError)
    expect(() => partSizeForObject(-1)).toThrow(RangeError)
    expect(() => partSizeForStream(0)).toThrow(RangeError)
    expect(() => partSizeForStream(MAX_PARTS + 1)).toThrow(RangeError)
  })

  it('doubles the part size every 1,000 parts for a stream of unknown length', () => {
    expect(partSizeForStream(1, 5 * MIB)).toBe(5 * MIB)
    expect(partSizeForStream(1000, 5 * MIB)).toBe(5 * MIB)
    expect(partSizeForStream(1001, 5 * MIB)).toBe(10 * MIB)
    expect(partSizeForStream(10_000, 5 * MIB)).toBe(2560 * MIB)
    expect(partSizeForStream(10_000, 16 * MIB)).toBe(MAX_PART_SIZE)
    expect(partSize(3, undefined, 8 * MIB)).toBe(8 * MIB)
    expect(partSize(3, 100e9, 8 * MIB)).toBe(10 * MIB)
  })

  it('holds a 5 TB stream of unknown length in 10,000 parts at any base part size', () => {
    for (const asked of [MIN_PART_SIZE, 8 * MIB, 16 * MIB, 100 * MIB, MAX_PART_SIZE]) {
      expect(streamCapacity(asked)).toBeGreaterThanOrEqual(5 * TB)
    }
    // The default (16 MiB) even covers the 5 TiB maximum, and keeps parts small for the first 16 GB.
    expect(streamCapacity()).toBeGreaterThanOrEqual(MAX_OBJECT_SIZE)
  })
})
