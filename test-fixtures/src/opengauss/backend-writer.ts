// A growable writer for backend (server → client) messages: reserve 5 header bytes, then
// `flush(code)` back-fills the type byte and the Int32 length (pg-protocol's Writer, server side).

const HEADER_LENGTH = 5

export class BackendWriter {
  #buffer: Buffer = Buffer.alloc(256)
  #offset = HEADER_LENGTH

  #ensure(size: number): void {
    if (this.#offset + size <= this.#buffer.length) {
      return
    }
    const next = Buffer.alloc(Math.max(this.#buffer.length * 2, this.#offset + size))
    this.#buffer.copy(next, 0, 0, this.#offset)
    this.#buffer = next
  }

  int8(value: number): this {
    this.#ensure(1)
    this.#buffer.writeUInt8(value & 0xff, this.#offset)
    this.#offset += 1
    return this
  }

  int16(value: number): this {
    this.#ensure(2)
    this.#buffer.writeUInt16BE(value & 0xffff, this.#offset)
    this.#offset += 2
    return this
  }

  /** Writes the low 32 bits; -1 (NULL length) and UINT32_MAX give the same bytes. */
  int32(value: number): this {
    this.#ensure(4)
    this.#buffer.writeUInt32BE(value >>> 0, this.#offset)
    this.#offset += 4
    return this
  }

  cstring(text: string): this {
    const bytes = Buffer.from(text, 'utf8')
    return this.bytes(bytes).int8(0)
  }

  bytes(bytes: Uint8Array): this {
    this.#ensure(bytes.length)
    this.#buffer.set(bytes, this.#offset)
    this.#offset += bytes.length
    return this
  }

  /** Ends the message with type `code` (a character) and returns it; the writer starts afresh. */
  flush(code: string): Buffer {
    this.#buffer.writeUInt8(code.charCodeAt(0), 0)
    this.#buffer.writeUInt32BE(this.#offset - 1, 1)
    const out = Buffer.from(this.#buffer.subarray(0, this.#offset))
    this.#offset = HEADER_LENGTH
    return out
  }
}
