// Writing POSIX tar (ustar, with pax records for long names and sizes ≥ 8 GiB) through
// tar-stream's pack. The packer's `stream` is a node Readable; entries are added one at a time,
// each awaiting its body with backpressure (a write that returns false waits for 'drain').
import { Readable } from 'node:stream'
import { pack as tarPack } from 'tar-stream'
import type { Pack } from 'tar-stream'
import { createFileChecksum } from './checksum.js'
import type { ChecksumAlgorithm } from './checksum.js'
import { EntrySizeError } from './errors.js'

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'link'

/** What a caller says about one entry. */
export interface TarEntryInput {
  readonly name: string
  readonly type?: TarEntryType
  /** Required for files with a streamed body; ignored for others. */
  readonly size?: number
  /** Permission bits; default 0600 for files, 0700 for directories, 0777 for links. */
  readonly mode?: number
  readonly mtime?: Date
  readonly linkname?: string
  readonly uid?: number
  readonly gid?: number
  readonly uname?: string
  readonly gname?: string
}

export type TarEntryBody = Uint8Array | AsyncIterable<Uint8Array> | Readable

export interface AddEntryOptions {
  /** Also compute this checksum of the body (for backup_manifest). */
  readonly checksum?: ChecksumAlgorithm
}

export interface AddedEntry {
  readonly size: number
  /** Hex digest, '' unless a checksum was asked for (or NONE). */
  readonly checksum: string
}

/** Largest size the 11-digit octal ustar field holds: above it a pax `size` record is written. */
type Sink = ReturnType<Pack['entry']>

const USTAR_MAX_SIZE = 0o77777777777

function defaultMode(type: TarEntryType): number {
  return type === 'directory' ? 0o700 : type === 'file' ? 0o600 : 0o777
}

function waitForDrain(sink: Sink): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      sink.off('error', onError)
      sink.off('close', onClose)
      resolve()
    }
    const onError = (error: Error): void => {
      sink.off('drain', onDrain)
      sink.off('close', onClose)
      reject(error)
    }
    const onClose = (): void => {
      sink.off('drain', onDrain)
      sink.off('error', onError)
      reject(new Error('tar entry closed before its body was written'))
    }
    sink.once('drain', onDrain)
    sink.once('error', onError)
    sink.once('close', onClose)
  })
}

export class TarPacker {
  readonly #pack: Pack
  /** The tar bytes. Pipe it to a compressor or a file; it ends after `finalize()`. */
  readonly stream: Readable
  #busy = false
  #failed: Error | undefined

  constructor() {
    this.#pack = tarPack()
    this.stream = Readable.from(this.#pack, { objectMode: false, highWaterMark: 64 * 1024 })
    this.#pack.on('error', (error: Error) => {
      this.#failed ??= error
    })
  }

  /**
   * Adds one entry. Files take a body (bytes, a Readable or any async iterable of bytes); a
   * streamed body needs `size`, and must give exactly that many bytes. Await each call before the
   * next: entries are written in order.
   */
  async add(input: TarEntryInput, body?: TarEntryBody, options: AddEntryOptions = {}): Promise<AddedEntry> {
    if (this.#busy) {
      throw new Error('TarPacker.add: the previous entry is still being written')
    }
    if (this.#failed) {
      throw this.#failed
    }
    this.#busy = true
    try {
      return await this.#add(input, body, options)
    } finally {
      this.#busy = false
    }
  }

  async #add(input: TarEntryInput, body: TarEntryBody | undefined, options: AddEntryOptions): Promise<AddedEntry> {
    const type = input.type ?? 'file'
    const bytes = body instanceof Uint8Array ? body : undefined
    const size = type === 'file' ? (bytes?.length ?? input.size ?? 0) : 0
    const checksum = createFileChecksum(options.checksum ?? 'NONE')
    const header = {
      name: type === 'directory' && !input.name.endsWith('/') ? `${input.name}/` : input.name,
      type,
      size,
      mode: (input.mode ?? defaultMode(type)) & 0o7777,
      mtime: input.mtime ?? new Date(),
      linkname: input.linkname ?? '',
      uid: input.uid ?? 0,
      gid: input.gid ?? 0,
      uname: input.uname ?? '',
      gname: input.gname ?? '',
      ...(size > USTAR_MAX_SIZE ? { pax: { size: String(size) } } : {}),
    }
    let done!: Promise<void>
    const sink = await new Promise<Sink>((resolve) => {
      done = new Promise<void>((resolveDone, rejectDone) => {
        resolve(
          this.#pack.entry(header, (error?: Error | null) => {
            if (error) {
              rejectDone(error)
            } else {
              resolveDone()
            }
          })
        )
      })
    })
    done.catch(() => {})
    // Failures surface through `done` and the rejected add(); the sink's own event is redundant.
    sink.on('error', () => {})
    let written = 0
    try {
      if (type === 'file' && body !== undefined) {
        const source: AsyncIterable<Uint8Array> | Iterable<Uint8Array> = bytes ? [bytes] : (body as AsyncIterable<Uint8Array>)
        for await (const chunk of source) {
          written += chunk.length
          if (written > size) {
            throw new EntrySizeError(input.name, size, written)
          }
          checksum.update(chunk)
          if (!sink.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
            await waitForDrain(sink)
          }
        }
      }
      if (written !== size) {
        throw new EntrySizeError(input.name, size, written)
      }
      sink.end(undefined as never)
      await done
    } catch (error) {
      sink.destroy(error as Error)
      this.#failed ??= error as Error
      this.#pack.destroy(error as Error)
      throw error
    }
    return { size, checksum: checksum.digest() }
  }

  /** Writes the end-of-archive marker (two zero blocks) and ends `stream`. */
  finalize(): void {
    this.#pack.finalize()
  }

  /** Aborts: the stream errors with `error`. */
  destroy(error?: Error): void {
    this.#failed ??= error
    this.#pack.destroy(error)
    this.stream.destroy(error)
  }
}

/** A new tar writer. */
export function createTarPacker(): TarPacker {
  return new TarPacker()
}
