// The fast path of a tar-format backup to a directory: the archive's bytes go from the socket's read
// buffer to a new file with plain system calls, the pieces of one read in one writev — what
// pg_basebackup does, and no stream, batch or promise per chunk in between.
import { closeSync, openSync } from 'node:fs'
import { writevFullySync } from '@tidemark/archive'
import type { ArchiveSink } from '@tidemark/wire'

export class FileSink implements ArchiveSink {
  readonly path: string
  /** Bytes on disk so far. */
  bytesWritten = 0
  #fd: number | undefined
  #pieces: Buffer[] = []
  readonly #onBytes: ((bytes: number) => void) | undefined

  /** Creates the file (never over an existing one), 0600. */
  constructor(path: string, onBytes?: (bytes: number) => void) {
    this.path = path
    this.#fd = openSync(path, 'wx', 0o600)
    this.#onBytes = onBytes
  }

  write(bytes: Buffer): void {
    this.#pieces.push(bytes)
    this.#onBytes?.(bytes.length)
  }

  flush(): void {
    if (this.#pieces.length === 0) {
      return
    }
    const pieces = this.#pieces
    this.#pieces = []
    writevFullySync(this.#open(), pieces)
    for (const piece of pieces) {
      this.bytesWritten += piece.length
    }
  }

  /** Writes `trailer` (tar's end-of-archive marker, when the server left it out) and closes. */
  finish(trailer?: Buffer): void {
    this.flush()
    if (trailer) {
      writevFullySync(this.#open(), [trailer])
      this.bytesWritten += trailer.length
    }
    this.close()
  }

  /** Closes the file (as it is, after a failure: the run's cleanup removes it). */
  close(): void {
    const fd = this.#fd
    this.#fd = undefined
    this.#pieces = []
    if (fd !== undefined) {
      closeSync(fd)
    }
  }

  #open(): number {
    if (this.#fd === undefined) {
      throw new Error(`${this.path} is closed`)
    }
    return this.#fd
  }
}
