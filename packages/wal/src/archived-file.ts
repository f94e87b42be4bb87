// The format of one archived WAL file: a one-line text header, then the (maybe compressed) bytes.
//
//   TIDEMARK-WAL 1 sha256=<64 hex> size=<bytes> compression=<none|gzip|lz4|zstd>\n<payload>
//
// sha256 and size are those of the original file, checked after decompression on every get. One
// file per WAL name keeps storing atomic (one rename or link) and finding a name one open().
import { isCompression, type WalCompression } from './compression.js'
import { WalRepositoryError } from './errors.js'

/** What the header of an archived file says about the original. */
export interface ArchivedWalInfo {
  readonly sha256: string
  readonly size: number
  readonly compression: WalCompression
}

const MAGIC = 'TIDEMARK-WAL 1 '
/** No header is longer than this; readers need only read this many bytes to find it. */
export const MAX_HEADER_LENGTH = 256
const HEADER = /^TIDEMARK-WAL 1 sha256=([0-9a-f]{64}) size=(\d{1,16}) compression=([a-z0-9]+)$/

/** The header line, newline included. */
export function encodeArchivedHeader(info: ArchivedWalInfo): Buffer {
  return Buffer.from(`${MAGIC}sha256=${info.sha256} size=${info.size} compression=${info.compression}\n`, 'latin1')
}

/** Parses the header at the start of bytes; returns it and where the payload begins. */
export function decodeArchivedHeader(bytes: Uint8Array, what: string): { info: ArchivedWalInfo; payloadOffset: number } {
  const limit = Math.min(bytes.byteLength, MAX_HEADER_LENGTH)
  const newline = Buffer.from(bytes.buffer, bytes.byteOffset, limit).indexOf(0x0a)
  const line = newline < 0 ? '' : Buffer.from(bytes.buffer, bytes.byteOffset, newline).toString('latin1')
  const match = HEADER.exec(line)
  if (!match || !isCompression(match[3])) {
    throw new WalRepositoryError(`${what} is not a tidemark-wal archived file (its header is missing or of an unknown format)`)
  }
  return {
    info: { sha256: match[1] ?? '', size: Number(match[2]), compression: match[3] },
    payloadOffset: newline + 1,
  }
}
