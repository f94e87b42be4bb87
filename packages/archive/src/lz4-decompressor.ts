// Streaming lz4 frame decoder (the LZ4 frame format: magic 0x184D2204, FLG/BD descriptor, blocks,
// end mark, optional checksums; skippable frames are skipped). Handles concatenated frames and
// linked blocks (a 64 KiB window is kept). Memory: one block (≤ 4 MiB) plus the window.
// Block and content checksums (xxHash32) are verified when the frame carries them.
import { DecompressError } from './errors.js'
import { decodeLz4Block } from './lz4-block.js'
import { PullDecoder } from './pull-decoder.js'
import { XxHash32, xxhash32 } from './xxhash32.js'

const LZ4_MAGIC = 0x184d2204
const WINDOW = 64 * 1024
const BLOCK_SIZES: Record<number, number> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 }

type State =
  | { kind: 'magic' }
  | { kind: 'skip'; remaining: number }
  | { kind: 'skip-size' }
  | { kind: 'descriptor' }
  | { kind: 'block-size' }
  | { kind: 'block'; size: number; raw: boolean }
  | { kind: 'content-checksum' }

export class Lz4Decompressor extends PullDecoder {
  #state: State = { kind: 'magic' }
  #offset = 0
  #blockChecksum = false
  #contentChecksum = false
  #independent = false
  #maxBlock = 0
  #window: Buffer = Buffer.alloc(0)
  #frames = 0
  #content: XxHash32 | undefined

  constructor(readonly archive = 'lz4 stream') {
    super()
  }

  #fail(message: string): DecompressError {
    return new DecompressError(`${this.archive}: invalid lz4 data at compressed byte ${this.#offset}: ${message}`)
  }

  #take(size: number): Buffer | undefined {
    const bytes = this.input.take(size)
    if (bytes) {
      this.#offset += size
    }
    return bytes
  }

  protected override decode(): boolean {
    for (;;) {
      if (this.paused) {
        return false
      }
      const state = this.#state
      switch (state.kind) {
        case 'magic': {
          const bytes = this.#take(4)
          if (!bytes) {
            return true
          }
          const magic = bytes.readUInt32LE(0)
          if (magic === LZ4_MAGIC) {
            this.#state = { kind: 'descriptor' }
          } else if ((magic & 0xfffffff0) === 0x184d2a50) {
            this.#state = { kind: 'skip-size' }
          } else {
            throw this.#fail(`bad frame magic 0x${magic.toString(16)}`)
          }
          break
        }
        case 'skip-size': {
          const bytes = this.#take(4)
          if (!bytes) {
            return true
          }
          this.#state = { kind: 'skip', remaining: bytes.readUInt32LE(0) }
          break
        }
        case 'skip': {
          const n = Math.min(state.remaining, this.input.length)
          this.#take(n)
          if (state.remaining === n) {
            this.#state = { kind: 'magic' }
          } else {
            this.#state = { kind: 'skip', remaining: state.remaining - n }
            return true
          }
          break
        }
        case 'descriptor': {
          if (this.input.length < 2) {
            return true
          }
          const head = this.input.peek(2) as Buffer
          const flg = head[0] as number
          const bd = head[1] as number
          const length = 3 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0)
          if (!this.#take(length)) {
            return true
          }
          if (flg >> 6 !== 1) {
            throw this.#fail('unsupported lz4 frame version')
          }
          const maxBlock = BLOCK_SIZES[(bd >> 4) & 7]
          if (maxBlock === undefined) {
            throw this.#fail('bad block maximum size')
          }
          this.#independent = (flg & 0x20) !== 0
          this.#blockChecksum = (flg & 0x10) !== 0
          this.#contentChecksum = (flg & 0x04) !== 0
          this.#content = this.#contentChecksum ? new XxHash32() : undefined
          this.#maxBlock = maxBlock
          this.#window = Buffer.alloc(0)
          this.#state = { kind: 'block-size' }
          break
        }
        case 'block-size': {
          const bytes = this.#take(4)
          if (!bytes) {
            return true
          }
          const word = bytes.readUInt32LE(0)
          if (word === 0) {
            this.#state = this.#contentChecksum ? { kind: 'content-checksum' } : { kind: 'magic' }
            if (!this.#contentChecksum) {
              this.#frames++
            }
            break
          }
          const size = word & 0x7fffffff
          if (size > this.#maxBlock) {
            throw this.#fail(`block of ${size} bytes exceeds the frame's maximum ${this.#maxBlock}`)
          }
          this.#state = { kind: 'block', size, raw: (word & 0x80000000) !== 0 }
          break
        }
        case 'block': {
          const total = state.size + (this.#blockChecksum ? 4 : 0)
          const bytes = this.#take(total)
          if (!bytes) {
            return true
          }
          if (this.#blockChecksum && xxhash32(bytes.subarray(0, state.size)) !== bytes.readUInt32LE(state.size)) {
            throw this.#fail('block checksum mismatch')
          }
          this.#emitBlock(bytes.subarray(0, state.size), state.raw)
          this.#state = { kind: 'block-size' }
          break
        }
        case 'content-checksum': {
          const bytes = this.#take(4)
          if (!bytes) {
            return true
          }
          if (this.#content && this.#content.digest() !== bytes.readUInt32LE(0)) {
            throw this.#fail('content checksum mismatch')
          }
          this.#frames++
          this.#state = { kind: 'magic' }
          break
        }
      }
    }
  }

  #emitBlock(data: Buffer, raw: boolean): void {
    let produced: Buffer
    if (raw) {
      produced = Buffer.from(data)
    } else {
      const history = this.#independent ? 0 : this.#window.length
      const out = Buffer.allocUnsafe(history + this.#maxBlock)
      if (history > 0) {
        this.#window.copy(out, 0)
      }
      let end: number
      try {
        end = decodeLz4Block(data, out, history)
      } catch (error) {
        throw this.#fail((error as Error).message)
      }
      produced = out.subarray(history, end)
      if (!this.#independent) {
        const keepFrom = Math.max(0, end - WINDOW)
        this.#window = Buffer.from(out.subarray(keepFrom, end))
      }
    }
    if (raw && !this.#independent) {
      const joined = Buffer.concat([this.#window, produced])
      this.#window = Buffer.from(joined.subarray(Math.max(0, joined.length - WINDOW)))
    }
    this.#content?.update(produced)
    this.output(produced)
  }

  protected override finish(): void {
    if (this.#state.kind !== 'magic' || this.input.length > 0) {
      throw this.#fail('the stream ends inside a frame (truncated)')
    }
    if (this.#frames === 0) {
      throw this.#fail('no lz4 frame')
    }
  }
}
