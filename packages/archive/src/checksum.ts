// The file checksums of backup_manifest, named as PostgreSQL names them. CRC32C is written the way
// PostgreSQL's pg_checksum_final does: the four bytes of the uint32 in little-endian order, as hex.
import { createHash } from 'node:crypto'
import type { Hash } from 'node:crypto'
import { CRC32C_INIT, crc32cFinal, crc32cUpdate } from './crc32c.js'
import { ManifestFormatError } from './errors.js'

export const CHECKSUM_ALGORITHMS = ['NONE', 'CRC32C', 'SHA224', 'SHA256', 'SHA384', 'SHA512'] as const
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number]

/** An incremental checksum over a file's bytes. */
export interface FileChecksum {
  readonly algorithm: ChecksumAlgorithm
  update(data: Uint8Array): void
  /** Lowercase hex as backup_manifest writes it; '' for NONE. */
  digest(): string
}

/** Parses a checksum algorithm name, case-insensitively (`--manifest-checksums=sha256`). */
export function parseChecksumAlgorithm(name: string): ChecksumAlgorithm {
  const upper = name.trim().toUpperCase()
  const found = CHECKSUM_ALGORITHMS.find((algorithm) => algorithm === upper)
  if (!found) {
    throw new ManifestFormatError(`unrecognized checksum algorithm "${name}"; use one of ${CHECKSUM_ALGORITHMS.join(', ')}`)
  }
  return found
}

class Crc32cChecksum implements FileChecksum {
  readonly algorithm = 'CRC32C' as const
  #state = CRC32C_INIT
  update(data: Uint8Array): void {
    this.#state = crc32cUpdate(this.#state, data)
  }
  digest(): string {
    const bytes = Buffer.alloc(4)
    bytes.writeUInt32LE(crc32cFinal(this.#state))
    return bytes.toString('hex')
  }
}

class ShaChecksum implements FileChecksum {
  readonly #hash: Hash
  constructor(readonly algorithm: 'SHA224' | 'SHA256' | 'SHA384' | 'SHA512') {
    this.#hash = createHash(algorithm.toLowerCase())
  }
  update(data: Uint8Array): void {
    this.#hash.update(data)
  }
  digest(): string {
    return this.#hash.digest('hex')
  }
}

class NoChecksum implements FileChecksum {
  readonly algorithm = 'NONE' as const
  update(_data: Uint8Array): void {}
  digest(): string {
    return ''
  }
}

/** A fresh checksum context for one file. */
export function createFileChecksum(algorithm: ChecksumAlgorithm): FileChecksum {
  switch (algorithm) {
    case 'NONE':
      return new NoChecksum()
    case 'CRC32C':
      return new Crc32cChecksum()
    case 'SHA224':
    case 'SHA256':
    case 'SHA384':
    case 'SHA512':
      return new ShaChecksum(algorithm)
    default:
      throw new ManifestFormatError(`unknown checksum algorithm ${String(algorithm)}`)
  }
}

/** The checksum of one buffer, as hex. */
export function checksumOf(algorithm: ChecksumAlgorithm, data: Uint8Array): string {
  const context = createFileChecksum(algorithm)
  context.update(data)
  return context.digest()
}
