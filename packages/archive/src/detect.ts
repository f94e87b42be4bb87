// Recognising an archive from its bytes, not its name: the compression layer (gzip, lz4 frame,
// zstd frame, none) and, inside it, POSIX tar or raw gs_tar. `openArchive` peeks, builds the
// decoding pipeline and returns the entries.
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Codec } from './codec-spec.js'
import { createDecompressor } from './codecs.js'
import { UnknownFormatError } from './errors.js'
import { GS_TAR_HEADER_SIZE, looksLikeGsTarHeader } from './gs-tar-header.js'
import type { TarEntry } from './tar-entry.js'
import { TAR_BLOCK, isTarHeader, isZeroBlock } from './tar-header.js'
import { readTar } from './tar-reader.js'
import type { ArchiveFormat } from './tar-reader.js'

/** The compression of a stream from its first bytes (at least 4); undefined when none is known. */
export function detectCompression(head: Uint8Array): Codec | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    return 'gzip'
  }
  if (head.length < 4) {
    return undefined
  }
  const magic = Buffer.from(head.buffer, head.byteOffset, 4).readUInt32LE(0)
  if (magic === 0x184d2204) {
    return 'lz4'
  }
  if (magic === 0xfd2fb528) {
    return 'zstd'
  }
  return undefined
}

/** tar or gs_tar from the first uncompressed bytes (up to 2560); undefined when neither. */
export function detectArchiveFormat(head: Uint8Array): ArchiveFormat | undefined {
  if (head.length >= TAR_BLOCK && (isTarHeader(head.subarray(0, TAR_BLOCK)) || (head.length >= TAR_BLOCK * 2 && isZeroBlock(head.subarray(0, TAR_BLOCK * 2))))) {
    return 'tar'
  }
  if (head.length >= GS_TAR_HEADER_SIZE && looksLikeGsTarHeader(head.subarray(0, GS_TAR_HEADER_SIZE))) {
    return 'gs_tar'
  }
  return undefined
}

/** Reads at least `size` bytes (fewer at the end) and returns them plus a stream of everything. */
async function peek(source: AsyncIterable<Uint8Array>, size: number): Promise<{ head: Buffer; rest: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]()
  const chunks: Buffer[] = []
  let length = 0
  let done = false
  while (length < size) {
    const next = await iterator.next()
    if (next.done) {
      done = true
      break
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength)
    chunks.push(chunk)
    length += chunk.length
  }
  const head = Buffer.concat(chunks, length)
  async function* rest(): AsyncGenerator<Uint8Array> {
    try {
      if (head.length > 0) {
        yield head
      }
      if (!done) {
        for (;;) {
          const next = await iterator.next()
          if (next.done) {
            return
          }
          yield next.value
        }
      }
    } finally {
      if (!done) {
        await iterator.return?.()
      }
    }
  }
  return { head, rest: rest() }
}

export interface OpenedArchive {
  readonly compression: Codec
  readonly format: ArchiveFormat
  readonly entries: AsyncGenerator<TarEntry>
}

export interface OpenArchiveOptions {
  /** The name used in messages. */
  readonly archive?: string
  /** Tar only; see ReadTarOptions. Default true. */
  readonly requireEndMarker?: boolean
}

/** Detects compression and format from the bytes and returns the archive's entries. */
export async function openArchive(source: AsyncIterable<Uint8Array>, options: OpenArchiveOptions = {}): Promise<OpenedArchive> {
  const archive = options.archive ?? 'archive'
  const outer = await peek(source, 4)
  const compression = detectCompression(outer.head) ?? 'none'
  let decoded: AsyncIterable<Uint8Array> = outer.rest
  if (compression !== 'none') {
    const decompressor = createDecompressor(compression, archive)
    pipeline(Readable.from(outer.rest, { objectMode: false }), decompressor).catch((error: unknown) => decompressor.destroy(error as Error))
    decoded = decompressor
  }
  const inner = await peek(decoded, GS_TAR_HEADER_SIZE)
  const format = detectArchiveFormat(inner.head.subarray(0, Math.min(inner.head.length, GS_TAR_HEADER_SIZE)))
  if (!format) {
    for await (const _ of inner.rest) {
      break
    }
    throw new UnknownFormatError(archive, compression === 'none' ? 'unrecognised first bytes' : `${compression} stream does not hold a tar`)
  }
  const readOptions = { archive, format, ...(options.requireEndMarker === undefined ? {} : { requireEndMarker: options.requireEndMarker }) }
  return { compression, format, entries: readTar(inner.rest, readOptions) }
}
