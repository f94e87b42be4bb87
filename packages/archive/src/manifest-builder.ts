// A streaming backup_manifest writer: files are encoded as they are added and handed to `onChunk`
// (or kept until `finish`), so a manifest of millions of files needs no more memory than one line.
import { createHash } from 'node:crypto'
import type { Hash } from 'node:crypto'
import {
  encodeManifestChecksum,
  encodeManifestFile,
  encodeManifestStart,
  encodeManifestWalRanges,
} from './manifest-format.js'
import type { ManifestFileEntry, ManifestVersion, WalRange } from './manifest-format.js'

export interface ManifestBuilderOptions {
  /** 1 for PostgreSQL 13–16, 2 for 17+. Default 1. */
  readonly version?: ManifestVersion
  /** Required for version 2: the system identifier from IDENTIFY_SYSTEM / pg_control. */
  readonly systemIdentifier?: bigint | string
  /** Receives the manifest text piece by piece; without it, `finish()` returns the whole manifest. */
  readonly onChunk?: (chunk: Buffer) => void
}

export class ManifestBuilder {
  readonly #hash: Hash = createHash('sha256')
  readonly #parts: Buffer[] = []
  readonly #onChunk: ((chunk: Buffer) => void) | undefined
  #first = true
  #finished = false
  #fileCount = 0

  constructor(options: ManifestBuilderOptions = {}) {
    this.#onChunk = options.onChunk
    this.#emit(encodeManifestStart(options.version ?? 1, options.systemIdentifier), true)
  }

  /** The number of files added so far. */
  get fileCount(): number {
    return this.#fileCount
  }

  #emit(text: string, checksummed: boolean): void {
    const bytes = Buffer.from(text, 'utf8')
    if (checksummed) {
      this.#hash.update(bytes)
    }
    if (this.#onChunk) {
      this.#onChunk(bytes)
    } else {
      this.#parts.push(bytes)
    }
  }

  /** Adds one file, in the order they should appear. */
  addFile(entry: ManifestFileEntry): void {
    if (this.#finished) {
      throw new Error('backup_manifest already finished')
    }
    this.#emit(encodeManifestFile(entry, this.#first), true)
    this.#first = false
    this.#fileCount++
  }

  /** Closes the manifest with its WAL ranges and checksum; returns the whole text unless streaming. */
  finish(walRanges: readonly WalRange[]): Buffer {
    if (this.#finished) {
      throw new Error('backup_manifest already finished')
    }
    this.#finished = true
    this.#emit(encodeManifestWalRanges(walRanges), true)
    this.#emit(encodeManifestChecksum(this.#hash.digest('hex')), false)
    return Buffer.concat(this.#parts)
  }
}

/** Formats an LSN as PostgreSQL does: `%X/%X`, or `%X/%08X` (PostgreSQL 18) with `pad`. */
export function formatLsn(lsn: bigint, pad = false): string {
  const high = (lsn >> 32n).toString(16).toUpperCase()
  const low = (lsn & 0xffffffffn).toString(16).toUpperCase()
  return `${high}/${pad ? low.padStart(8, '0') : low}`
}
