// Hands the CopyData of an archive to a consumer straight from the socket's read buffer: no frame
// objects, no copies, no streams. Archive data pieces are views into the bytes just read (valid only
// during the call), cut at frame boundaries wherever a read ended; only the few header bytes of a
// frame that straddles two reads are carried over. Any other frame (progress, the next archive,
// CopyDone, an error) is decoded whole and offered to the consumer, which may stop there: that frame
// and everything after it then go back to the ordinary message path.
import type { BackendMessage } from './backend-message.js'
import { FRAME_CODE_LENGTH, FRAME_HEADER_LENGTH, checkFrameLength, frameAt, type Frame } from './frame-reader.js'

const COPY_DATA = 0x64 // d

export interface DirectCopyHandler {
  /** A piece of archive data: a view valid only during the call. May throw to fail the read. */
  data(bytes: Buffer): void
  /** Every piece of the bytes handed to `push` has been given to `data`: write them now. */
  flush(): void
  /** A whole message that is not archive data: go on, stop before it (it is put back), or stop after it. */
  other(message: BackendMessage): OtherMessageOutcome
}

export type OtherMessageOutcome = 'continue' | 'stop-before' | 'stop-after'

export class DirectCopyParser {
  readonly #handler: DirectCopyHandler
  readonly #decode: (frame: Frame) => BackendMessage
  /** PostgreSQL 15+: a CopyData is archive data only when its payload starts with this byte ('d'). */
  readonly #dataPrefix: number | undefined
  readonly #classifyLength: number
  /** The start of a frame that straddles reads, copied. */
  #carry: Buffer = Buffer.alloc(0)
  /** Bytes of the current data frame not yet handed out. */
  #dataLeft = 0

  constructor(handler: DirectCopyHandler, decode: (frame: Frame) => BackendMessage, dataPrefix: number | undefined) {
    this.#handler = handler
    this.#decode = decode
    this.#dataPrefix = dataPrefix
    this.#classifyLength = FRAME_HEADER_LENGTH + (dataPrefix === undefined ? 0 : 1)
  }

  /**
   * Parses the bytes of one read. Returns undefined to go on, or — once the consumer stopped — the
   * bytes from the stopping message on (a view: copy it before the next read).
   */
  push(bytes: Buffer): Buffer | undefined {
    let offset = 0
    try {
      if (this.#carry.length > 0) {
        const taken = this.#completeCarry(bytes)
        if (taken === undefined) {
          return undefined
        }
        if (taken.stopped === 'stop-before') {
          return Buffer.concat([this.#takeCarry(), bytes.subarray(taken.offset)])
        }
        if (taken.stopped === 'stop-after') {
          return bytes.subarray(taken.offset)
        }
        offset = taken.offset
      }
      while (offset < bytes.length) {
        if (this.#dataLeft > 0) {
          const end = Math.min(bytes.length, offset + this.#dataLeft)
          this.#handler.data(bytes.subarray(offset, end))
          this.#dataLeft -= end - offset
          offset = end
          continue
        }
        const step = this.#classify(bytes, offset, bytes.length - offset)
        if (step.kind === 'need') {
          this.#carry = Buffer.from(bytes.subarray(offset))
          return undefined
        }
        if (step.kind === 'data') {
          offset += this.#classifyLength
          this.#dataLeft = step.payloadLength - (this.#classifyLength - FRAME_HEADER_LENGTH)
          continue
        }
        const frameEnd = offset + step.frameLength
        const outcome = this.#handler.other(this.#decode(frameAt(Buffer.from(bytes.subarray(offset, frameEnd)), 0, step.frameLength)))
        if (outcome !== 'continue') {
          return bytes.subarray(outcome === 'stop-before' ? offset : frameEnd)
        }
        offset = frameEnd
      }
      return undefined
    } finally {
      this.#handler.flush()
    }
  }

  /** Bytes carried over from the last read, if a stop leaves them unparsed. */
  #takeCarry(): Buffer {
    const carry = this.#carry
    this.#carry = Buffer.alloc(0)
    return carry
  }

  /**
   * Adds bytes to the carried frame start until it can be classified (and, for a message that is not
   * data, until it is whole). undefined: still not enough.
   */
  #completeCarry(bytes: Buffer): { offset: number; stopped: OtherMessageOutcome | undefined } | undefined {
    let used = 0
    for (;;) {
      const step = this.#classify(this.#carry, 0, this.#carry.length)
      if (step.kind === 'need') {
        const take = Math.min(step.bytes - this.#carry.length, bytes.length - used)
        if (take === 0) {
          return undefined
        }
        this.#carry = Buffer.concat([this.#carry, bytes.subarray(used, used + take)])
        used += take
        continue
      }
      if (step.kind === 'data') {
        this.#dataLeft = step.payloadLength - (this.#classifyLength - FRAME_HEADER_LENGTH)
        this.#carry = Buffer.alloc(0)
        return { offset: used, stopped: undefined }
      }
      const outcome = this.#handler.other(this.#decode(frameAt(this.#carry, 0, step.frameLength)))
      if (outcome === 'stop-before') {
        return { offset: used, stopped: outcome }
      }
      this.#carry = Buffer.alloc(0)
      return { offset: used, stopped: outcome === 'continue' ? undefined : outcome }
    }
  }

  /** What the frame at `start` is, from the `available` bytes there. */
  #classify(
    bytes: Buffer,
    start: number,
    available: number
  ): { kind: 'need'; bytes: number } | { kind: 'data'; payloadLength: number } | { kind: 'other'; frameLength: number } {
    if (available < FRAME_HEADER_LENGTH) {
      return { kind: 'need', bytes: FRAME_HEADER_LENGTH }
    }
    const code = bytes[start] as number
    const length = bytes.readUInt32BE(start + FRAME_CODE_LENGTH)
    checkFrameLength(code, length)
    const frameLength = FRAME_CODE_LENGTH + length
    const payloadLength = frameLength - FRAME_HEADER_LENGTH
    if (code === COPY_DATA) {
      if (this.#dataPrefix === undefined) {
        return { kind: 'data', payloadLength }
      }
      if (payloadLength > 0) {
        if (available < this.#classifyLength) {
          return { kind: 'need', bytes: this.#classifyLength }
        }
        if (bytes[start + FRAME_HEADER_LENGTH] === this.#dataPrefix) {
          return { kind: 'data', payloadLength }
        }
      }
    }
    return available < frameLength ? { kind: 'need', bytes: frameLength } : { kind: 'other', frameLength }
  }
}
