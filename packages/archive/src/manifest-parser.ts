// Reads a backup_manifest (PostgreSQL 13+, versions 1 and 2) and checks its Manifest-Checksum the
// way pg_verifybackup does: SHA-256 over every byte up to and including the next-to-last newline.
import { createHash } from 'node:crypto'
import { CHECKSUM_ALGORITHMS } from './checksum.js'
import type { ChecksumAlgorithm } from './checksum.js'
import { ManifestChecksumError, ManifestFormatError } from './errors.js'
import type { ManifestVersion, WalRange } from './manifest-format.js'

export interface ParsedManifestFile {
  readonly path: string
  readonly size: number
  /** As written, e.g. `2024-01-02 03:04:05 GMT`. */
  readonly lastModified: string
  readonly checksumAlgorithm: ChecksumAlgorithm
  /** Lowercase hex; '' when NONE. */
  readonly checksum: string
}

export interface ParsedManifest {
  readonly version: ManifestVersion
  /** Version 2 only, as decimal text (a uint64). */
  readonly systemIdentifier: string | undefined
  readonly files: readonly ParsedManifestFile[]
  readonly walRanges: readonly WalRange[]
  readonly manifestChecksum: string
}

function fail(message: string): never {
  throw new ManifestFormatError(`invalid backup_manifest: ${message}`)
}

/** Verifies the Manifest-Checksum line against the bytes before it. */
export function verifyManifestChecksum(bytes: Uint8Array, expected: string): void {
  let last = -1
  let penultimate = -1
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i] === 0x0a) {
      if (last === -1) {
        last = i
      } else {
        penultimate = i
        break
      }
    }
  }
  if (last !== bytes.length - 1) {
    fail('last line not newline-terminated')
  }
  if (penultimate === -1) {
    fail('expected at least 2 lines')
  }
  const actual = createHash('sha256').update(bytes.subarray(0, penultimate + 1)).digest('hex')
  if (actual !== expected.toLowerCase()) {
    throw new ManifestChecksumError(expected, actual)
  }
}

function parseFile(raw: unknown, index: number): ParsedManifestFile {
  if (typeof raw !== 'object' || raw === null) {
    fail(`file entry ${index} is not an object`)
  }
  const record = raw as Record<string, unknown>
  let path: string
  if (typeof record['Path'] === 'string') {
    path = record['Path']
  } else if (typeof record['Encoded-Path'] === 'string' && /^([0-9a-fA-F]{2})*$/.test(record['Encoded-Path'])) {
    path = Buffer.from(record['Encoded-Path'], 'hex').toString('utf8')
  } else {
    fail(`file entry ${index} has no Path or Encoded-Path`)
  }
  const size = record['Size']
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    fail(`file "${path}" has no valid Size`)
  }
  const lastModified = record['Last-Modified']
  if (typeof lastModified !== 'string') {
    fail(`file "${path}" has no Last-Modified`)
  }
  const algorithmName = record['Checksum-Algorithm']
  let checksumAlgorithm: ChecksumAlgorithm = 'NONE'
  let checksum = ''
  if (algorithmName !== undefined) {
    const found = CHECKSUM_ALGORITHMS.find((name) => name === algorithmName)
    if (!found) {
      fail(`file "${path}" has unrecognized checksum algorithm ${JSON.stringify(algorithmName)}`)
    }
    checksumAlgorithm = found
    const value = record['Checksum']
    if (found !== 'NONE') {
      if (typeof value !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(value)) {
        fail(`file "${path}" has an invalid checksum`)
      }
      checksum = value.toLowerCase()
    }
  }
  return { path, size, lastModified, checksumAlgorithm, checksum }
}

function parseWalRange(raw: unknown, index: number): WalRange {
  const record = (typeof raw === 'object' && raw !== null ? raw : fail(`WAL range ${index} is not an object`)) as Record<string, unknown>
  const timeline = record['Timeline']
  const startLsn = record['Start-LSN']
  const endLsn = record['End-LSN']
  const lsn = /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/
  if (typeof timeline !== 'number' || !Number.isInteger(timeline) || timeline < 1) {
    fail(`WAL range ${index} has no valid Timeline`)
  }
  if (typeof startLsn !== 'string' || !lsn.test(startLsn) || typeof endLsn !== 'string' || !lsn.test(endLsn)) {
    fail(`WAL range ${index} has no valid Start-LSN/End-LSN`)
  }
  return { timeline, startLsn, endLsn }
}

/** Parses and checks a whole backup_manifest. */
export function parseManifest(bytes: Uint8Array, options: { verifyChecksum?: boolean } = {}): ParsedManifest {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  // Sizes and the system identifier are uint64: keep the identifier exact by reading it as text.
  const sysid = /"System-Identifier"\s*:\s*(\d+)/.exec(text)?.[1]
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new ManifestFormatError(`invalid backup_manifest: not JSON (${(error as Error).message})`, { cause: error })
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    fail('top level is not an object')
  }
  const top = json as Record<string, unknown>
  const version = top['PostgreSQL-Backup-Manifest-Version']
  if (version !== 1 && version !== 2) {
    fail(`unexpected manifest version ${JSON.stringify(version)}`)
  }
  if (version === 2 && sysid === undefined) {
    fail('version 2 manifest without System-Identifier')
  }
  const files = top['Files']
  const walRanges = top['WAL-Ranges']
  const manifestChecksum = top['Manifest-Checksum']
  if (!Array.isArray(files)) {
    fail('missing Files')
  }
  if (!Array.isArray(walRanges)) {
    fail('missing WAL-Ranges')
  }
  if (typeof manifestChecksum !== 'string' || !/^[0-9a-fA-F]{64}$/.test(manifestChecksum)) {
    fail('missing or invalid Manifest-Checksum')
  }
  if (options.verifyChecksum !== false) {
    verifyManifestChecksum(bytes, manifestChecksum)
  }
  return {
    version,
    systemIdentifier: version === 2 ? sysid : undefined,
    files: files.map(parseFile),
    walRanges: walRanges.map(parseWalRange),
    manifestChecksum: manifestChecksum.toLowerCase(),
  }
}
