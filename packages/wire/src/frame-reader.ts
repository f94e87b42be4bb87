// Splits the backend byte stream into whole frames (type byte + Int32 length + payload), keeping the
// partial tail between chunks, the way pg-protocol's Parser does. Each whole frame is then decoded by
// pg-protocol (backend-message.ts); this class only finds the boundaries, so a malformed payload can
// never desynchronise the stream, and it refuses absurd lengths instead of buffering them.
import { ProtocolError } from './errors.js'

/** Byte offsets of the frame header. */
export const FRAME_CODE_LENGTH = 1
export const FRAME_LENGTH_LENGTH = 4
export const FRAME_HEADER_LENGTH: number = FRAME_CODE_LENGTH + FRAME_LENGTH_LENGTH

/** The server's largest message is a CopyData of at most a few hundred kB; 1 GiB is PostgreSQL's own hard limit. */
export const MAX_FRAME_LENGTH = 0x3fffffff

export interface Frame {
  /** The message type byte. */
  readonly code: number
  /** The payload after the length word. A view on a buffer that is never reused, so it may be kept. */
  readonly payload: Buffer
  /** The whole frame, header included (a view on the same buffer). */
  readonly bytes: Buffer
}

export class FrameReader {
  #pending: Buffer[] = []
  #pendingLength = 0

  /** Bytes received but not yet part of a whole frame. */
  get bufferedLength(): number {
    return this.#pendingLength
  }

  /** Adds a chunk and returns every frame it completes. Throws ProtocolError on an impossible length. */
  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = []
    let buffer = chunk
    if (this.#pendingLength > 0) {
      const before = this.#pendingLength
      this.#pending.push(chunk)
      this.#pendingLength += chunk.length
      const needed = this.#neededLength()
      if (this.#pendingLength < needed) {
        return frames
      }
      // Only the frame that straddles the chunks is joined; the rest of the chunk is parsed in place
      // (joining the whole chunk copied nearly every byte of a backup once more).
      const take = needed - before
      this.#pending[this.#pending.length - 1] = chunk.subarray(0, take)
      const joined = Buffer.concat(this.#pending, needed)
      frames.push(frameAt(joined, 0, needed))
      this.#pending = []
      this.#pendingLength = 0
      buffer = chunk.subarray(take)
    }
    let offset = 0
    while (offset + FRAME_HEADER_LENGTH <= buffer.length) {
      const code = buffer[offset] as number
      const length = buffer.readUInt32BE(offset + FRAME_CODE_LENGTH)
      checkFrameLength(code, length)
      const end = offset + FRAME_CODE_LENGTH + length
      if (end > buffer.length) {
        break
      }
      frames.push(frameAt(buffer, offset, end))
      offset = end
    }
    if (offset < buffer.length) {
      const tail = buffer.subarray(offset)
      this.#pending = [tail]
      this.#pendingLength = tail.length
    }
    return frames
  }

  /** Takes the bytes of the partial frame kept so far (a copy), leaving the reader empty. */
  takePending(): Buffer | undefined {
    if (this.#pendingLength === 0) {
      return undefined
    }
    const pending = Buffer.concat(this.#pending, this.#pendingLength)
    this.#pending = []
    this.#pendingLength = 0
    return pending
  }

  #neededLength(): number {
    const first = this.#pending[0] as Buffer
    const head = first.length >= FRAME_HEADER_LENGTH ? first : Buffer.concat(this.#pending, this.#pendingLength)
    if (head.length < FRAME_HEADER_LENGTH) {
      return FRAME_HEADER_LENGTH
    }
    const length = head.readUInt32BE(FRAME_CODE_LENGTH)
    checkFrameLength(head[0] as number, length)
    return FRAME_CODE_LENGTH + length
  }
}

export function frameAt(buffer: Buffer, start: number, end: number): Frame {
  return {
    code: buffer[start] as number,
    payload: buffer.subarray(start + FRAME_HEADER_LENGTH, end),
    bytes: buffer.subarray(start, end),
  }
}

/** Throws ProtocolError on a length no server sends. */
export function checkFrameLength(code: number, length: number): void {
  if (length < FRAME_LENGTH_LENGTH || length > MAX_FRAME_LENGTH) {
    throw new ProtocolError(`invalid message length ${length} for message type 0x${code.toString(16)}`)
  }
}
