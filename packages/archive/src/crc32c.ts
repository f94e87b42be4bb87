// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), slicing-by-8: eight 256-entry tables let
// the inner loop consume 8 bytes per step. Pure functions over bytes; no I/O.

const POLY = 0x82f63b78

function makeTables(): Uint32Array[] {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256))
  const t0 = tables[0] as Uint32Array
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1
    }
    t0[n] = c >>> 0
  }
  for (let n = 0; n < 256; n++) {
    let c = t0[n] as number
    for (let t = 1; t < 8; t++) {
      c = (t0[c & 0xff] as number) ^ (c >>> 8)
      ;(tables[t] as Uint32Array)[n] = c >>> 0
    }
  }
  return tables
}

const [T0, T1, T2, T3, T4, T5, T6, T7] = makeTables() as [
  Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array,
]

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/** The initial (pre-inverted) CRC-32C state. */
export const CRC32C_INIT = 0xffffffff

/** Feeds bytes into a running CRC-32C state (not yet finalised); start from CRC32C_INIT. */
export function crc32cUpdate(state: number, data: Uint8Array): number {
  let crc = state >>> 0
  let i = 0
  const length = data.length
  // Align to 4 bytes, then read two little-endian words per step through a Uint32Array view
  // (x86 and ARM are little-endian; the byte loop handles any other platform).
  while (i < length && (data.byteOffset + i) % 4 !== 0) {
    crc = (T0[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8)
    i++
  }
  if (LITTLE_ENDIAN && length - i >= 8) {
    const words = new Uint32Array(data.buffer, data.byteOffset + i, (length - i) >>> 2)
    const pairs = words.length & ~1
    for (let w = 0; w < pairs; w += 2) {
      const a = crc ^ (words[w] as number)
      const b = words[w + 1] as number
      crc =
        (T7[a & 0xff] as number) ^
        (T6[(a >>> 8) & 0xff] as number) ^
        (T5[(a >>> 16) & 0xff] as number) ^
        (T4[a >>> 24] as number) ^
        (T3[b & 0xff] as number) ^
        (T2[(b >>> 8) & 0xff] as number) ^
        (T1[(b >>> 16) & 0xff] as number) ^
        (T0[b >>> 24] as number)
    }
    i += pairs * 4
  }
  while (i < length) {
    crc = (T0[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8)
    i++
  }
  return crc >>> 0
}

/** Finalises a running state into the CRC-32C value. */
export function crc32cFinal(state: number): number {
  return (state ^ 0xffffffff) >>> 0
}

/** The CRC-32C of one buffer. */
export function crc32c(data: Uint8Array): number {
  return crc32cFinal(crc32cUpdate(CRC32C_INIT, data))
}
