// LZ4 block decompression (the sequence format inside lz4 frames). Pure: decodes `src` into `out`
// starting at `outStart`; matches may reach back into `out[0..outStart)` (the previous blocks of a
// linked-block frame). Returns the end offset in `out`, or throws a plain Error on malformed input.

export function decodeLz4Block(src: Uint8Array, out: Uint8Array, outStart: number): number {
  let ip = 0
  let op = outStart
  const end = src.length
  const outEnd = out.length
  while (ip < end) {
    const token = src[ip++] as number
    let literals = token >>> 4
    if (literals === 15) {
      let byte: number
      do {
        if (ip >= end) {
          throw new Error('lz4 block: literal length runs past the block')
        }
        byte = src[ip++] as number
        literals += byte
      } while (byte === 255)
    }
    if (ip + literals > end || op + literals > outEnd) {
      throw new Error('lz4 block: literals run past the block')
    }
    out.set(src.subarray(ip, ip + literals), op)
    ip += literals
    op += literals
    if (ip >= end) {
      break
    }
    if (ip + 2 > end) {
      throw new Error('lz4 block: truncated match offset')
    }
    const offset = (src[ip] as number) | ((src[ip + 1] as number) << 8)
    ip += 2
    if (offset === 0 || offset > op) {
      throw new Error('lz4 block: match offset out of range')
    }
    let length = (token & 15) + 4
    if ((token & 15) === 15) {
      let byte: number
      do {
        if (ip >= end) {
          throw new Error('lz4 block: match length runs past the block')
        }
        byte = src[ip++] as number
        length += byte
      } while (byte === 255)
    }
    if (op + length > outEnd) {
      throw new Error('lz4 block: match runs past the block size')
    }
    let from = op - offset
    if (offset >= length) {
      out.copyWithin(op, from, from + length)
      op += length
    } else {
      for (const stop = op + length; op < stop; ) {
        out[op++] = out[from++] as number
      }
    }
  }
  return op
}
