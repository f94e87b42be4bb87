// archive_command's copy for an uncompressed push into a directory: the source is read in 1 MiB
// pieces into three reused buffers, each piece hashed (sha256) on the main thread while the next is
// read and the last is written on the thread pool — instead of reading 16 MB into fresh memory
// (4,000 page faults), hashing it, then writing it. The archived header, which carries the sha256,
// goes in front last: its length is known before the copy (it depends on the size only).
import type { FileHandle } from 'node:fs/promises'
import { open, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { WalSourceError } from './errors.js'
import { commitTemporary, ioError, syncDirectory, temporaryPath, trackTemporary, type DurableWriteOutcome } from './durable-file.js'

const PIECE_BYTES = 1024 * 1024
const BUFFERS = 3

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

/** Copies `source` (named `sourceName` in messages) to a new file at path, never replacing one. */
export async function copyBehindHeaderDurably(
  source: FileHandle,
  sourceName: string,
  path: string,
  options: StreamedCopyOptions
): Promise<StreamedCopyResult> {
  const { size } = await source.stat()
  const buffers = Array.from({ length: BUFFERS }, () => Buffer.allocUnsafeSlow(PIECE_BYTES))
  const readPiece = async (index: number, position: number): Promise<Buffer> => {
    const buffer = buffers[index % BUFFERS] as Buffer
    const { bytesRead } = await source.read(buffer, 0, Math.min(PIECE_BYTES, size - position), position)
    if (bytesRead === 0 && position < size) {
      throw new WalSourceError(`${sourceName} shrank while it was archived (${position} of ${size} bytes read); nothing was archived`)
    }
    return buffer.subarray(0, bytesRead)
  }
  const first = await readPiece(0, 0)
  await options.check(first, size)
  const { createHash } = await import('node:crypto')
  const hash = createHash('sha256')
  const offset = options.headerLength(size)
  const temp = temporaryPath(path)
  const untrack = trackTemporary(temp)
  try {
    const target = await open(temp, 'wx', options.mode ?? 0o640)
    try {
      let piece = first
      let position = 0
      let index = 0
      let writing: Promise<unknown> = Promise.resolve()
      for (;;) {
        const next = position + piece.length < size ? readPiece(index + 1, position + piece.length) : undefined
        hash.update(piece)
        // The buffer the next read goes to was last written BUFFERS - 1 pieces ago: that write is done.
        await writing
        writing = writeAll(target, piece, offset + position)
        position += piece.length
        if (!next) {
          break
        }
        piece = await next
        index += 1
      }
      await writing
      const sha256 = hash.digest('hex')
      const header = options.header(sha256, size)
      if (header.length !== offset) {
        throw new Error(`the header is ${header.length} bytes, not the ${offset} the copy left room for`)
      }
      await writeAll(target, header, 0)
      await target.sync()
      await target.close().catch(() => undefined)
      const outcome = await commitTemporary(temp, path, true)
      if (outcome === 'written') {
        await syncDirectory(dirname(path))
      }
      return { outcome, sha256, size }
    } finally {
      await target.close().catch(() => undefined)
    }
  } catch (error) {
    throw ioError(error, `could not write ${path}`)
  } finally {
    await rm(temp, { force: true })
    untrack()
  }
}

async function writeAll(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let done = 0
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done)
    done += bytesWritten
  }
}
