// Reading tar and gs_tar archives as an async iterator of entries. A pull-based state machine over
// the byte stream: it ignores chunk boundaries, never reads ahead of what the consumer takes (so
// backpressure reaches the source), and reports a truncated or corrupt archive with a typed error
// naming the archive and the byte offset.
import { Readable } from 'node:stream'
import { ByteQueue } from './byte-queue.js'
import { ArchiveCorruptError, ArchiveTruncatedError } from './errors.js'
import { GS_TAR_HEADER_SIZE } from './gs-tar-header.js'
import type { TarEntry, TarHeader } from './tar-entry.js'
import { ExtendedHeaderState, MAX_EXTENDED_HEADER, blockPadding, decodeTarBlock, gsTarEntryHeader, isExtendedHeader } from './tar-entry-header.js'
import { TAR_BLOCK } from './tar-header.js'

export type ArchiveFormat = 'tar' | 'gs_tar'

export interface ReadTarOptions {
  /** The name used in error messages (a file name). Default 'archive'. */
  readonly archive?: string
  /** Default 'tar'. */
  readonly format?: ArchiveFormat
  /**
   * Tar only: whether the end-of-archive zero blocks must be present. PostgreSQL 13–14 servers
   * omit them on the wire, so stream readers pass false; files default to true. gs_tar never has one.
   */
  readonly requireEndMarker?: boolean
}

/** Pulls exact byte counts out of an async iterable; tracks the absolute offset. */
class Puller {
  readonly queue = new ByteQueue()
  readonly #iterator: AsyncIterator<Uint8Array>
  #ended = false
  #pending: Promise<void> | undefined
  /** Bytes consumed (taken or skipped) so far. */
  offset = 0

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#iterator = source[Symbol.asyncIterator]()
  }

  get ended(): boolean {
    return this.#ended && this.queue.length === 0
  }

  /** Total bytes received so far: where the data stops if the source has ended. */
  get received(): number {
    return this.offset + this.queue.length
  }

  /** Reads one more chunk (shared by concurrent callers). Resolves false at the end. */
  async more(): Promise<boolean> {
    if (this.#ended) {
      return false
    }
    this.#pending ??= this.#iterator.next().then(
      (result) => {
        this.#pending = undefined
        if (result.done) {
          this.#ended = true
        } else {
          this.queue.push(Buffer.from(result.value.buffer, result.value.byteOffset, result.value.byteLength))
        }
      },
      (error: unknown) => {
        this.#pending = undefined
        throw error
      }
    )
    await this.#pending
    return !this.#ended
  }

  /** Exactly `size` bytes, or undefined when the source ends first. */
  async take(size: number): Promise<Buffer | undefined> {
    while (this.queue.length < size) {
      if (!(await this.more())) {
        return undefined
      }
    }
    this.offset += size
    return this.queue.take(size)
  }

  /** Skips `size` bytes; false when the source ends first. */
  async skip(size: number): Promise<boolean> {
    let left = size
    while (left > 0) {
      if (this.queue.length === 0 && !(await this.more())) {
        return false
      }
      const dropped = this.queue.skip(left)
      this.offset += dropped
      left -= dropped
    }
    return true
  }

  async close(): Promise<void> {
    this.#ended = true
    await this.#iterator.return?.()
  }
}

/** The body of one entry: a Readable that pulls from the archive as it is read. */
class EntryBody extends Readable {
  #remaining: number
  #reading = false

  constructor(
    readonly puller: Puller,
    size: number,
    readonly onTruncated: () => Error
  ) {
    // Object mode: each piece is handed on as it is; a byte-mode read() (what async iteration calls)
    // would concatenate the buffered pieces, a copy of every byte extracted.
    super({ objectMode: true, highWaterMark: 4 })
    this.#remaining = size
    if (size === 0) {
      this.push(null)
    }
  }

  get remaining(): number {
    return this.#remaining
  }

  override _read(): void {
    if (this.#reading) {
      return
    }
    this.#reading = true
    this.#pump()
      .catch((error: unknown) => this.destroy(error as Error))
      .finally(() => {
        this.#reading = false
      })
  }

  async #pump(): Promise<void> {
    while (this.#remaining > 0 && !this.destroyed) {
      if (this.puller.queue.length === 0 && !(await this.puller.more())) {
        throw this.onTruncated()
      }
      if (this.destroyed) {
        return
      }
      const piece = this.puller.queue.takeSome(this.#remaining)
      if (!piece) {
        continue
      }
      this.puller.offset += piece.length
      this.#remaining -= piece.length
      const more = this.push(piece)
      if (this.#remaining === 0) {
        this.push(null)
        return
      }
      if (!more) {
        return
      }
    }
  }
}

async function readBodyBytes(puller: Puller, size: number, truncated: () => Error): Promise<Buffer> {
  const data = await puller.take(size)
  if (!data || !(await puller.skip(blockPadding(size)))) {
    throw truncated()
  }
  return data
}

/**
 * Reads the entries of a tar (ustar, pax, GNU, v7) or gs_tar archive from uncompressed bytes.
 * Always finish with (or drain) each entry's body, or let the loop skip it.
 */
export async function* readTar(source: AsyncIterable<Uint8Array>, options: ReadTarOptions = {}): AsyncGenerator<TarEntry> {
  const archive = options.archive ?? 'archive'
  const format = options.format ?? 'tar'
  const requireEnd = format === 'tar' && (options.requireEndMarker ?? true)
  const puller = new Puller(source)
  const headerSize = format === 'gs_tar' ? GS_TAR_HEADER_SIZE : TAR_BLOCK
  let body: EntryBody | undefined
  let bodyPadding = 0
  try {
    for (;;) {
      if (body) {
        const left = body.remaining
        if (!body.readableEnded) {
          body.destroy()
        }
        body = undefined
        if (!(await puller.skip(left + bodyPadding))) {
          throw new ArchiveTruncatedError(archive, puller.received, 'entry data')
        }
      }
      const headerOffset = puller.offset
      const block = await puller.take(headerSize)
      if (!block) {
        if (puller.received === headerOffset && !requireEnd) {
          return
        }
        throw new ArchiveTruncatedError(
          archive,
          puller.received,
          puller.received === headerOffset ? 'archive: no end-of-archive marker' : 'header'
        )
      }
      const header = format === 'gs_tar' ? gsTarEntryHeader(block, archive, headerOffset) : await decodeTar(block, puller, archive, headerOffset)
      if (header === null) {
        return
      }
      const entryName = header.name
      body = new EntryBody(puller, header.size, () => new ArchiveTruncatedError(archive, puller.received, `data of entry "${entryName}"`))
      bodyPadding = blockPadding(header.size)
      yield { header, body }
    }
  } finally {
    if (body && !body.readableEnded) {
      body.destroy()
    }
    await puller.close()
  }
}

async function decodeTar(first: Buffer, puller: Puller, archive: string, offset: number): Promise<TarHeader | null> {
  let block: Buffer = first
  let blockOffset = offset
  const extended = new ExtendedHeaderState()
  for (;;) {
    const raw = decodeTarBlock(block, archive, blockOffset)
    if (raw === null) {
      // The end: one zero block suffices (GNU tar accepts a lone one); the second is not required.
      return null
    }
    if (!isExtendedHeader(raw)) {
      return extended.entryHeader(raw, archive, blockOffset, offset)
    }
    if (raw.size > MAX_EXTENDED_HEADER) {
      throw new ArchiveCorruptError(archive, blockOffset, `extended header of ${raw.size} bytes`)
    }
    const data = await readBodyBytes(puller, raw.size, () => new ArchiveTruncatedError(archive, puller.received, 'extended header'))
    extended.apply(raw, data, archive, blockOffset)
    blockOffset = puller.offset
    const next = await puller.take(TAR_BLOCK)
    if (!next) {
      throw new ArchiveTruncatedError(archive, puller.received, 'header')
    }
    block = next
  }
}
