// xxHash32 (the checksum of the lz4 frame format), incremental. Pure.
const P1 = 0x9e3779b1
const P2 = 0x85ebca77
const P3 = 0xc2b2ae3d
const P4 = 0x27d4eb2f
const P5 = 0x165667b1

function rotl(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0
}

function round(acc: number, lane: number): number {
  return Math.imul(rotl((acc + Math.imul(lane, P2)) >>> 0, 13), P1) >>> 0
}

function lane(data: Uint8Array, i: number): number {
  return ((data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24)) >>> 0
}

export class XxHash32 {
  #v1: number
  #v2: number
  #v3: number
  #v4: number
  #total = 0
  readonly #memory = new Uint8Array(16)
  #memorySize = 0

  constructor(readonly seed = 0) {
    this.#v1 = (seed + P1 + P2) >>> 0
    this.#v2 = (seed + P2) >>> 0
    this.#v3 = seed >>> 0
    this.#v4 = (seed - P1) >>> 0
  }

  update(data: Uint8Array): this {
    this.#total += data.length
    let i = 0
    if (this.#memorySize > 0) {
      const take = Math.min(16 - this.#memorySize, data.length)
      this.#memory.set(data.subarray(0, take), this.#memorySize)
      this.#memorySize += take
      i = take
      if (this.#memorySize < 16) {
        return this
      }
      this.#stripe(this.#memory, 0)
      this.#memorySize = 0
    }
    const end = data.length - 16
    for (; i <= end; i += 16) {
      this.#stripe(data, i)
    }
    if (i < data.length) {
      this.#memory.set(data.subarray(i), 0)
      this.#memorySize = data.length - i
    }
    return this
  }

  #stripe(data: Uint8Array, i: number): void {
    this.#v1 = round(this.#v1, lane(data, i))
    this.#v2 = round(this.#v2, lane(data, i + 4))
    this.#v3 = round(this.#v3, lane(data, i + 8))
    this.#v4 = round(this.#v4, lane(data, i + 12))
  }

  digest(): number {
    let h =
      this.#total >= 16
        ? (rotl(this.#v1, 1) + rotl(this.#v2, 7) + rotl(this.#v3, 12) + rotl(this.#v4, 18)) >>> 0
        : (this.seed + P5) >>> 0
    h = (h + this.#total) >>> 0
    let i = 0
    const memory = this.#memory
    for (; i + 4 <= this.#memorySize; i += 4) {
      h = Math.imul(rotl((h + Math.imul(lane(memory, i), P3)) >>> 0, 17), P4) >>> 0
    }
    for (; i < this.#memorySize; i++) {
      h = Math.imul(rotl((h + Math.imul(memory[i] as number, P5)) >>> 0, 11), P1) >>> 0
    }
    h ^= h >>> 15
    h = Math.imul(h, P2) >>> 0
    h ^= h >>> 13
    h = Math.imul(h, P3) >>> 0
    h ^= h >>> 16
    return h >>> 0
  }
}

export function xxhash32(data: Uint8Array, seed = 0): number {
  return new XxHash32(seed).update(data).digest()
}
