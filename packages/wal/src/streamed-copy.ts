// Copies between a repository file and a WAL file without holding a 16 MB segment in memory: 1 MiB
// pieces through three reused buffers, each piece hashed (sha256) on the main thread while the next
// is read and the last is written on the thread pool. Fresh memory per segment cost ~4,000 page
// faults, and reading, hashing and writing one after another left the other core idle.
//   push: copyBehindHeaderDurably — the archived header, which carries the sha256, goes in front
//         last (its length depends on the size only);
//   get:  copyOutVerified — the payload behind the header, checked before the file appears.
import { createHash, type Hash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import { WalCorruptError, WalSourceError } from './errors.js'
import { commitTemporary, throughTemporaryFile, writeChunks, type DurableWriteOutcome } from './durable-file.js'

const PIECE_BYTES = 1024 * 1024
const BUFFERS = 3

/** Three piece buffers for one copy; kept for the process's next copy (a prefetcher makes many). */
class PieceBuffers {
  readonly #buffers: Buffer[] = []
  get(index: number): Buffer {
    const slot = index % BUFFERS
    this.#buffers[slot] ??= Buffer.allocUnsafeSlow(PIECE_BYTES)
    return this.#buffers[slot]
  }
}

/**
 * Copies `length` bytes of `source` from `from` to `target` at `to`, handing each piece to `hash`
 * first. `first` is the piece at `from` when the caller read it already (into buffers.get(0)).
 */
async function copyPieces(
  source: FileHandle,
  sourceName: string,
  from: number,
  length: number,
  target: FileHandle,
  to: number,
  hash: Hash,
  buffers: PieceBuffers,
  first?: Buffer
): Promise<void> {
  const readPiece = async (index: number, done: number): Promise<Buffer> => {
    const buffer = buffers.get(index)
    const { bytesRead } = await source.read(buffer, 0, Math.min(PIECE_BYTES, length - done), from + done)
    if (bytesRead === 0) {
      throw new WalSourceError(`${sourceName} ended after ${done} of ${length} bytes while it was copied; nothing was written`)
    }
    return buffer.subarray(0, bytesRead)
  }
  if (length === 0) {
    return
  }
  let piece = first ?? (await readPiece(0, 0))
  let done = 0
  let index = 0
  let writing: Promise<unknown> = Promise.resolve()
  for (;;) {
    const next = done + piece.length < length ? readPiece(index + 1, done + piece.length) : undefined
    hash.update(piece)
    // The buffer the next read went to was last written BUFFERS - 1 pieces ago: that write is done.
    await writing
    writing = writeChunks(target, [piece], to + done)
    done += piece.length
    if (!next) {
      break
    }
    piece = await next
    index += 1
  }
  await writing
}

const idleBuffers: PieceBuffers[] = []

/** Runs one copy with buffers no concurrent copy uses (a prefetcher fetches two segments at once). */
async function withBuffers<T>(copy: (buffers: PieceBuffers) => Promise<T>): Promise<T> {
  const buffers = idleBuffers.pop() ?? new PieceBuffers()
  try {
    return await copy(buffers)
  } finally {
    idleBuffers.push(buffers)
  }
}

export interface StreamedCopyOptions {
  /** Checks the first piece (up to 1 MiB) and the size before anything is written; throws to refuse. */
  readonly check: (first: Buffer, size: number) => Promise<void>
  /** The header in front of the copy; must be `headerLength(size)` bytes for every sha256. */
  readonly header: (sha256: string, size: number) => Buffer
  readonly headerLength: (size: number) => number
  readonly mode?: number
}

export interface StreamedCopyResult {
  readonly outcome: DurableWriteOutcome
  readonly sha256: string
  readonly size: number
}

/** Copies `source` (named `sourceName` in messages) behind a header to a new file at path, never replacing one. */
export async function copyBehindHeaderDurably(
  source: FileHandle,
  sourceName: string,
  path: string,
  options: StreamedCopyOptions
): Promise<StreamedCopyResult> {
  return withBuffers((buffers) => copyBehindHeader(source, sourceName, path, options, buffers))
}

async function copyBehindHeader(
  source: FileHandle,
  sourceName: string,
  path: string,
  options: StreamedCopyOptions,
  buffers: PieceBuffers
): Promise<StreamedCopyResult> {
  const { size } = await source.stat()
  const { bytesRead } = await source.read(buffers.get(0), 0, Math.min(PIECE_BYTES, size), 0)
  const first = buffers.get(0).subarray(0, bytesRead)
  await options.check(first, size)
  const hash = createHash('sha256')
  const offset = options.headerLength(size)
  let sha256 = ''
  const fill = async (target: FileHandle): Promise<void> => {
    await copyPieces(source, sourceName, 0, size, target, offset, hash, buffers, size > 0 ? first : undefined)
    sha256 = hash.digest('hex')
    const header = options.header(sha256, size)
    if (header.length !== offset) {
      throw new Error(`the header is ${header.length} bytes, not the ${offset} the copy left room for`)
    }
    await writeChunks(target, [header], 0)
  }
  const outcome = await throughTemporaryFile(path, { mode: options.mode ?? 0o640, sync: true }, fill, (temp) => commitTemporary(temp, path, true, true))
  return { outcome, sha256, size }
}

export interface CopyOutOptions {
  /** The stored bytes behind the header are `size` bytes with this sha256 (uncompressed). */
  readonly expected: { readonly sha256: string; readonly size: number }
  /** The archived file in messages. */
  readonly what: string
  /** fsync the file and its directory (restore_command's %p); not for a prefetch spool. */
  readonly sync: boolean
  readonly mode: number
}

/**
 * Copies the `expected.size` bytes at `offset` of `source` to path (replacing it), and puts the file
 * there only when their size and sha256 are the expected ones: WalCorruptError otherwise, and
 * nothing is written.
 */
export async function copyOutVerified(source: FileHandle, offset: number, path: string, options: CopyOutOptions): Promise<void> {
  await withBuffers((buffers) => copyOut(source, offset, path, options, buffers))
}

async function copyOut(source: FileHandle, offset: number, path: string, options: CopyOutOptions, buffers: PieceBuffers): Promise<void> {
  const { size } = await source.stat()
  const stored = size - offset
  if (stored !== options.expected.size) {
    throw new WalCorruptError(`${options.what} is damaged: ${stored} bytes instead of ${options.expected.size}; nothing was written`)
  }
  const hash = createHash('sha256')
  const fill = async (target: FileHandle): Promise<void> => {
    await copyPieces(source, options.what, offset, stored, target, 0, hash, buffers)
    const sha256 = hash.digest('hex')
    if (sha256 !== options.expected.sha256) {
      throw new WalCorruptError(`${options.what} is damaged: sha256 ${sha256} instead of the archived ${options.expected.sha256}; nothing was written`)
    }
  }
  await throughTemporaryFile(path, options, fill, (temp) => commitTemporary(temp, path, false, options.sync))
}
