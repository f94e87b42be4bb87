// Pure text encoders for backup_manifest, byte for byte as PostgreSQL's server (13+) and
// pg_combinebackup (17+) write it: one file per line, GMT times, lowercase hex, the SHA-256
// Manifest-Checksum over every byte before its own line.
import type { ChecksumAlgorithm } from './checksum.js'

/** One file in a manifest. */
export interface ManifestFileEntry {
  /** Relative to the backup root, `/`-separated; tablespace files under pg_tblspc/<oid>/. */
  readonly path: string
  readonly size: number
  readonly mtime: Date
  readonly checksumAlgorithm: ChecksumAlgorithm
  /** Lowercase hex; ignored when the algorithm is NONE. */
  readonly checksum: string
}

/** The WAL a backup needs on one timeline, LSNs as `X/X` text. */
export interface WalRange {
  readonly timeline: number
  readonly startLsn: string
  readonly endLsn: string
}

/** 1: PostgreSQL 13–16; 2: PostgreSQL 17+ (adds System-Identifier). */
export type ManifestVersion = 1 | 2

/** The opening text up to and including `"Files": [`. */
export function encodeManifestStart(version: ManifestVersion, systemIdentifier?: bigint | string): string {
  if (version === 1) {
    return '{ "PostgreSQL-Backup-Manifest-Version": 1,\n"Files": ['
  }
  if (systemIdentifier === undefined) {
    throw new TypeError('a version 2 backup_manifest needs the system identifier')
  }
  return `{ "PostgreSQL-Backup-Manifest-Version": 2,\n"System-Identifier": ${BigInt(systemIdentifier).toString()},\n"Files": [`
}

/** A JSON string literal escaped as PostgreSQL's escape_json does. */
export function escapeJsonString(text: string): string {
  let out = '"'
  for (const char of text) {
    switch (char) {
      case '\b':
        out += '\\b'
        break
      case '\f':
        out += '\\f'
        break
      case '\n':
        out += '\\n'
        break
      case '\r':
        out += '\\r'
        break
      case '\t':
        out += '\\t'
        break
      case '"':
        out += '\\"'
        break
      case '\\':
        out += '\\\\'
        break
      default: {
        const code = char.charCodeAt(0)
        out += code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : char
      }
    }
  }
  return `${out}"`
}

/** `YYYY-MM-DD HH:MM:SS GMT` (strftime "%Y-%m-%d %H:%M:%S %Z" on gmtime). */
export function formatManifestTime(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0')
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} GMT`
  )
}

function isWellFormedUtf16(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)
}

/** One file line; `first` is whether it is the first file (no leading comma). */
export function encodeManifestFile(entry: ManifestFileEntry, first: boolean): string {
  const path = isWellFormedUtf16(entry.path)
    ? `{ "Path": ${escapeJsonString(entry.path)}, `
    : `{ "Encoded-Path": "${Buffer.from(entry.path, 'utf8').toString('hex')}", `
  let line = `${first ? '\n' : ',\n'}${path}"Size": ${entry.size}, "Last-Modified": "${formatManifestTime(entry.mtime)}"`
  if (entry.checksumAlgorithm !== 'NONE') {
    line += `, "Checksum-Algorithm": "${entry.checksumAlgorithm}", "Checksum": "${entry.checksum.toLowerCase()}"`
  }
  return `${line} }`
}

/** The end of the file list and the WAL-Ranges list: everything the Manifest-Checksum still covers. */
export function encodeManifestWalRanges(ranges: readonly WalRange[]): string {
  const lines = ranges.map(
    (range, index) =>
      `${index === 0 ? '' : ',\n'}{ "Timeline": ${range.timeline}, "Start-LSN": "${range.startLsn}", "End-LSN": "${range.endLsn}" }`
  )
  return `\n],\n"WAL-Ranges": [\n${lines.join('')}\n],\n`
}

/** The last line, given the hex SHA-256 of every byte before it. */
export function encodeManifestChecksum(sha256Hex: string): string {
  return `"Manifest-Checksum": "${sha256Hex}"}\n`
}
