// Multipart part sizes. S3 allows at most 10,000 parts of 5 MiB to 5 GiB (the last may be smaller)
// and objects up to 5 TiB. A known size gets one fixed part size; a stream of unknown length gets
// parts that double every 1,000 parts, so memory stays one part per upload slot while even a 5 TB
// stream never needs more than 10,000 parts.

export const MIB: number = 1024 * 1024
export const MIN_PART_SIZE: number = 5 * MIB
export const MAX_PART_SIZE: number = 5 * 1024 * MIB
export const MAX_PARTS: number = 10_000
/** The largest object S3 stores (5 TiB). */
export const MAX_OBJECT_SIZE: number = 5 * 1024 * 1024 * MIB
export const DEFAULT_PART_SIZE: number = 16 * MIB
/** Parts per tier of the schedule for streams of unknown length; each tier doubles the part size. */
export const PARTS_PER_TIER: number = 1_000

/** The base part size: the asked one, at least 5 MiB and at most 5 GiB, rounded up to a whole MiB. */
export function basePartSize(asked: number = DEFAULT_PART_SIZE): number {
  return Math.min(MAX_PART_SIZE, Math.max(MIN_PART_SIZE, Math.ceil(asked / MIB) * MIB))
}

/** The fixed part size for an object of a known size: the base, or larger so it fits in 10,000 parts. */
export function partSizeForObject(size: number, asked?: number): number {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_OBJECT_SIZE) {
    throw new RangeError(`an S3 object holds 0 to ${MAX_OBJECT_SIZE} bytes, not ${size}`)
  }
  const needed = Math.ceil(Math.ceil(size / MAX_PARTS) / MIB) * MIB
  return Math.max(basePartSize(asked), needed)
}

/** The size of part `partNumber` (1-based) of a stream of unknown length. */
export function partSizeForStream(partNumber: number, asked?: number): number {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw new RangeError(`part numbers run from 1 to ${MAX_PARTS}, not ${partNumber}`)
  }
  const tier = Math.floor((partNumber - 1) / PARTS_PER_TIER)
  return Math.min(MAX_PART_SIZE, basePartSize(asked) * 2 ** tier)
}

/** The part size of part `partNumber` for a put of the given (or unknown) size. */
export function partSize(partNumber: number, size: number | undefined, asked?: number): number {
  return size === undefined ? partSizeForStream(partNumber, asked) : partSizeForObject(size, asked)
}

/** How many bytes a stream of unknown length can hold in 10,000 parts at this base part size. */
export function streamCapacity(asked?: number): number {
  let total = 0
  for (let tier = 0; tier * PARTS_PER_TIER < MAX_PARTS; tier++) {
    const parts = Math.min(PARTS_PER_TIER, MAX_PARTS - tier * PARTS_PER_TIER)
    total += parts * partSizeForStream(tier * PARTS_PER_TIER + 1, asked)
  }
  return total
}
