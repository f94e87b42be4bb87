// Builders for backend frames in tests.
export function frame(code: string, ...parts: Array<Buffer | string | number>): Buffer {
  const body = Buffer.concat(parts.map((part) => {
    if (typeof part === 'number') {
      const out = Buffer.alloc(4)
      out.writeInt32BE(part)
      return out
    }
    return typeof part === 'string' ? Buffer.from(part, 'utf8') : part
  }))
  const header = Buffer.alloc(5)
  header.write(code, 0, 'latin1')
  header.writeUInt32BE(body.length + 4, 1)
  return Buffer.concat([header, body])
}

export function int16(value: number): Buffer {
  const out = Buffer.alloc(2)
  out.writeInt16BE(value)
  return out
}

export function cstr(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8')
}

/** RowDescription of text columns. */
export function rowDescription(names: string[]): Buffer {
  return frame('T', int16(names.length), ...names.map((name) => Buffer.concat([cstr(name), Buffer.alloc(4), int16(0), (() => {
    const b = Buffer.alloc(4)
    b.writeUInt32BE(25)
    return b
  })(), int16(-1), Buffer.from([0xff, 0xff, 0xff, 0xff]), int16(0)])))
}

export function dataRow(values: Array<string | null>): Buffer {
  return frame('D', int16(values.length), ...values.map((value) => {
    if (value === null) {
      return Buffer.from([0xff, 0xff, 0xff, 0xff])
    }
    const bytes = Buffer.from(value, 'utf8')
    const length = Buffer.alloc(4)
    length.writeInt32BE(bytes.length)
    return Buffer.concat([length, bytes])
  }))
}

/** Every way of cutting `bytes` in two, plus byte-by-byte. */
export function splits(bytes: Buffer): Buffer[][] {
  const out: Buffer[][] = [[bytes]]
  for (let cut = 1; cut < bytes.length; cut += 1) {
    out.push([bytes.subarray(0, cut), bytes.subarray(cut)])
  }
  out.push([...bytes].map((byte) => Buffer.from([byte])))
  return out
}

/** A deterministic PRNG (mulberry32) for fuzz tests. */
export function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
