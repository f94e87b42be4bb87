// Parsing tar and gs_tar synchronously as bytes are pushed in: the counterpart of readTar for a
// producer that hands out views of a reused buffer (a backup read straight from the socket). Entry
// bodies go to the consumer's sink as views too — no copy of file data; only a header or extended
// header that straddles two pushes is gathered into a copy. Errors name the archive and the offset,
// as readTar's do.
import { ArchiveCorruptError, ArchiveTruncatedError } from './errors.js'
import { GS_TAR_HEADER_SIZE } from './gs-tar-header.js'
import type { ArchiveFormat } from './tar-reader.js'
import type { TarHeader } from './tar-entry.js'
import { ExtendedHeaderState, MAX_EXTENDED_HEADER, blockPadding, decodeTarBlock, gsTarEntryHeader, isExtendedHeader } from './tar-entry-header.js'
import { TAR_BLOCK, type RawTarHeader } from './tar-header.js'

/** Where one entry's body goes. Pieces are views valid only during the call. */
export interface EntrySink {
  write(piece: Buffer): void
  /** The pieces given so far are all there is for now: write what was gathered. */
  flush(): void
  /** The body is complete. */
  end(): void
}

export interface TarPushParserOptions {
  readonly archive?: string
  /** Default 'tar'. */
  readonly format?: ArchiveFormat
  /** A new entry: where its body goes, or undefined to skip it. Called for bodiless entries too. */
  readonly onEntry: (header: TarHeader) => EntrySink | undefined
}

type State =
  | { readonly kind: 'header' }
  | { readonly kind: 'extended'; readonly raw: RawTarHeader; readonly blockOffset: number; readonly size: number }
  | { readonly kind: 'body'; readonly sink: EntrySink | undefined; readonly size: number }
  | { readonly kind: 'padding' }
  | { readonly kind: 'end' }

export class TarPushParser {
  readonly #archive: string
  readonly #format: ArchiveFormat
  readonly #headerSize: number
  readonly #onEntry: (header: TarHeader) => EntrySink | undefined
  #state: State = { kind: 'header' }
  /** Bytes left in the current body or padding. */
  #left = 0
  /** A header block or extended header gathered across pushes. */
  #gathered: Buffer[] = []
  #gatheredLength = 0
  #extended = new ExtendedHeaderState()
  /** Extended headers were read for the entry whose header comes next. */
  #afterExtended = false
  /** Where the current entry's first header began (extended headers included). */
  #entryOffset = 0
  /** Bytes consumed so far (gathered bytes not included). */
  #offset = 0

  constructor(options: TarPushParserOptions) {
    this.#archive = options.archive ?? 'archive'
    this.#format = options.format ?? 'tar'
    this.#headerSize = this.#format === 'gs_tar' ? GS_TAR_HEADER_SIZE : TAR_BLOCK
    this.#onEntry = options.onEntry
  }

  /** Whether the end-of-archive marker was read (later bytes are ignored). */
  get ended(): boolean {
    return this.#state.kind === 'end'
  }

  /** Parses the next bytes of the archive. */
  push(bytes: Buffer): void {
    let at = 0
    while (at < bytes.length && this.#state.kind !== 'end') {
      const state = this.#state
      if (state.kind === 'body' || state.kind === 'padding') {
        const take = Math.min(bytes.length - at, this.#left)
        if (state.kind === 'body') {
          state.sink?.write(bytes.subarray(at, at + take))
        }
        at += take
        this.#offset += take
        this.#left -= take
        if (this.#left === 0) {
          if (state.kind === 'body') {
            state.sink?.end()
            this.#toPadding(state.size)
          } else {
            this.#state = { kind: 'header' }
          }
        }
        continue
      }
      const needed = state.kind === 'header' ? this.#headerSize : state.size
      const { block, used } = this.#gather(bytes, at, needed)
      at += used
      if (block) {
        this.#onBlock(block)
      }
    }
  }

  /** Hands the current body's gathered pieces on (the end of one push from the producer). */
  flush(): void {
    if (this.#state.kind === 'body') {
      this.#state.sink?.flush()
    }
  }

  /**
   * The archive's bytes have all been pushed. Without an end-of-archive marker (PostgreSQL 13–14 send
   * none) the archive must end between entries; anything else is a truncated archive.
   */
  finish(): void {
    const state = this.#state
    if (state.kind === 'end' || (state.kind === 'header' && this.#gatheredLength === 0 && !this.#afterExtended)) {
      return
    }
    const what = state.kind === 'body' || state.kind === 'padding' ? 'entry data' : state.kind === 'extended' ? 'extended header' : 'header'
    throw new ArchiveTruncatedError(this.#archive, this.#offset + this.#gatheredLength, what)
  }

  /**
   * Takes up to `needed` bytes from bytes[at…]: the block is a view when all of it is there and
   * nothing was gathered before, a copy once gathered across pushes, or undefined while incomplete.
   */
  #gather(bytes: Buffer, at: number, needed: number): { block: Buffer | undefined; used: number } {
    const available = bytes.length - at
    if (this.#gatheredLength === 0 && available >= needed) {
      return { block: bytes.subarray(at, at + needed), used: needed }
    }
    const used = Math.min(available, needed - this.#gatheredLength)
    this.#gathered.push(Buffer.from(bytes.subarray(at, at + used)))
    this.#gatheredLength += used
    if (this.#gatheredLength < needed) {
      return { block: undefined, used }
    }
    const block = Buffer.concat(this.#gathered, needed)
    this.#gathered = []
    this.#gatheredLength = 0
    return { block, used }
  }

  #onBlock(block: Buffer): void {
    const state = this.#state
    const blockOffset = this.#offset
    this.#offset += block.length
    if (state.kind === 'extended') {
      this.#extended.apply(state.raw, block, this.#archive, state.blockOffset)
      this.#toPadding(state.size)
      return
    }
    if (!this.#afterExtended) {
      this.#entryOffset = blockOffset
    }
    const header = this.#format === 'gs_tar' ? gsTarEntryHeader(block, this.#archive, blockOffset) : this.#tarHeader(block, blockOffset)
    if (header === undefined) {
      return
    }
    if (header === null) {
      this.#state = { kind: 'end' }
      return
    }
    this.#extended = new ExtendedHeaderState()
    this.#afterExtended = false
    const sink = this.#onEntry(header)
    if (header.size === 0) {
      sink?.end()
      this.#toPadding(0)
      return
    }
    this.#left = header.size
    this.#state = { kind: 'body', sink, size: header.size }
  }

  /** A tar header block: the entry's header, null at the end, undefined for an extended header. */
  #tarHeader(block: Buffer, blockOffset: number): TarHeader | null | undefined {
    const raw = decodeTarBlock(block, this.#archive, blockOffset)
    if (raw === null) {
      return null
    }
    if (!isExtendedHeader(raw)) {
      return this.#extended.entryHeader(raw, this.#archive, blockOffset, this.#entryOffset)
    }
    if (raw.size > MAX_EXTENDED_HEADER) {
      throw new ArchiveCorruptError(this.#archive, blockOffset, `extended header of ${raw.size} bytes`)
    }
    this.#afterExtended = true
    if (raw.size === 0) {
      this.#extended.apply(raw, Buffer.alloc(0), this.#archive, blockOffset)
      this.#state = { kind: 'header' }
    } else {
      this.#state = { kind: 'extended', raw, blockOffset, size: raw.size }
    }
    return undefined
  }

  /** After a body (or extended header) of `size` bytes: its zero padding to the next block. */
  #toPadding(size: number): void {
    this.#left = blockPadding(size)
    this.#state = this.#left > 0 ? { kind: 'padding' } : { kind: 'header' }
  }
}
