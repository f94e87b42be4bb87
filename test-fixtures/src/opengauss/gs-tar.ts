// openGauss's gs_tar format, written from the reference (§4) and `_tarWriteHeader` in basebackup.cpp:
// 2560-byte zero-filled headers without magic, checksum, uid/gid or mtime; data padded to 512 bytes;
// no end-of-archive marker. Pure functions: an independent writer other packages can test against.
import { OG_TAR_SEND_SIZE } from './constants.js'

/** `BUILD_PATH_LEN` = MAXPGPATH * 2 + 512. */
export const GS_TAR_HEADER_SIZE = 2560
/** File data is padded to this (not to the header size). */
export const GS_TAR_BLOCK_SIZE = 512

/** Byte offsets inside a gs_tar header. */
export const GsTarOffset = {
  /** `[0,1024)`: NUL-terminated name, at most 1023 characters; directories and links end with `/`. */
  name: 0,
  /** `[1024,1032)`: `"%07o "` of the full `st_mode` (type bits included). */
  mode: 1024,
  /** `[1048,1059)`: 11 octal digits, the NUL of the zero-filled header after them. */
  size: 1048,
  /** `[1080]`: the type flag. */
  type: 1080,
  /** `[1081,2104)`: the link target, at most 1023 characters. */
  linkTarget: 1081,
} as const

export const GS_TAR_NAME_MAX = 1023
export const GS_TAR_SIZE_DIGITS = 11
/** 8 GiB − 1: the largest size 11 octal digits hold. */
export const GS_TAR_MAX_FILE_SIZE: number = 8 ** GS_TAR_SIZE_DIGITS - 1

/** Type flags: `'3'` is a link whose target is relative to PGDATA (a tablespace under `pg_location`). */
export const GsTarType = {
  file: '0',
  symlink: '2',
  relativeSymlink: '3',
  directory: '5',
} as const

export type GsTarEntryKind = 'file' | 'directory' | 'symlink' | 'relative-symlink'

export interface GsTarEntry {
  /** Path relative to the archive root, without a trailing `/` (the encoder adds it to directories and links). */
  readonly name: string
  readonly kind: GsTarEntryKind
  /** Full `st_mode`, type bits included; defaults per kind (see `defaultGsTarMode`). */
  readonly mode?: number
  /** File contents (files only). */
  readonly content?: Buffer | string
  /** Link target (links only): absolute for `'symlink'`, relative to PGDATA for `'relative-symlink'`. */
  readonly linkTarget?: string
}

/** `S_IFREG|0600`, `S_IFDIR|0700` (what the server forces on directories), `S_IFLNK|0777`. */
export function defaultGsTarMode(kind: GsTarEntryKind): number {
  switch (kind) {
    case 'file':
      return 0o100600
    case 'directory':
      return 0o40700
    case 'symlink':
    case 'relative-symlink':
      return 0o120777
  }
}

/** Files injected by the server (`sendFileWithContent`: backup_label, tablespace_map, `.done`) have mode 0600 without type bits. */
export const GS_TAR_INJECTED_FILE_MODE = 0o600

function contentOf(entry: GsTarEntry): Buffer {
  if (entry.kind !== 'file') {
    return Buffer.alloc(0)
  }
  const content = entry.content ?? Buffer.alloc(0)
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content
}

function typeFlag(kind: GsTarEntryKind): string {
  switch (kind) {
    case 'file':
      return GsTarType.file
    case 'directory':
      return GsTarType.directory
    case 'symlink':
      return GsTarType.symlink
    case 'relative-symlink':
      return GsTarType.relativeSymlink
  }
}

/** The 2560-byte header of one entry. */
export function encodeGsTarHeader(entry: GsTarEntry, size: number = contentOf(entry).length): Buffer {
  const header = Buffer.alloc(GS_TAR_HEADER_SIZE)
  const isDirLike = entry.kind !== 'file'
  const name = Buffer.from(entry.name, 'utf8')
  if (name.length === 0 || name.length > GS_TAR_NAME_MAX - (isDirLike ? 1 : 0)) {
    throw new Error(`gs_tar name must be 1..${GS_TAR_NAME_MAX} bytes: "${entry.name}"`)
  }
  name.copy(header, GsTarOffset.name)
  if (isDirLike) {
    header.write('/', GsTarOffset.name + name.length, 'latin1')
  }
  const mode = entry.mode ?? defaultGsTarMode(entry.kind)
  header.write(`${mode.toString(8).padStart(7, '0')} `, GsTarOffset.mode, 'latin1')
  const recordedSize = entry.kind === 'file' ? size : 0
  if (recordedSize > GS_TAR_MAX_FILE_SIZE) {
    throw new Error(`gs_tar member too large: "${entry.name}" (${recordedSize} bytes)`)
  }
  header.write(recordedSize.toString(8).padStart(GS_TAR_SIZE_DIGITS, '0'), GsTarOffset.size, 'latin1')
  header.write(typeFlag(entry.kind), GsTarOffset.type, 'latin1')
  if (entry.kind === 'symlink' || entry.kind === 'relative-symlink') {
    const target = Buffer.from(entry.linkTarget ?? '', 'utf8')
    if (target.length === 0 || target.length > GS_TAR_NAME_MAX) {
      throw new Error(`gs_tar link target must be 1..${GS_TAR_NAME_MAX} bytes: "${entry.name}"`)
    }
    target.copy(header, GsTarOffset.linkTarget)
  }
  return header
}

/** Zero bytes that pad `size` up to a multiple of 512. */
export function gsTarPadding(size: number): number {
  return (GS_TAR_BLOCK_SIZE - (size % GS_TAR_BLOCK_SIZE)) % GS_TAR_BLOCK_SIZE
}

/**
 * One entry as the server frames it on the wire, one Buffer per CopyData message: the header, the
 * data in chunks of at most 32 kB, then the padding as its own message (when there is any).
 */
export function gsTarEntryFrames(entry: GsTarEntry): Buffer[] {
  const content = contentOf(entry)
  const frames = [encodeGsTarHeader(entry, content.length)]
  for (let offset = 0; offset < content.length; offset += OG_TAR_SEND_SIZE) {
    frames.push(content.subarray(offset, offset + OG_TAR_SEND_SIZE))
  }
  const pad = gsTarPadding(content.length)
  if (pad > 0) {
    frames.push(Buffer.alloc(pad))
  }
  return frames
}

/** One entry's bytes: header, data, padding. */
export function encodeGsTarEntry(entry: GsTarEntry): Buffer {
  return Buffer.concat(gsTarEntryFrames(entry))
}

/** A whole gs_tar archive: the entries back to back, with no end-of-archive marker. */
export function buildGsTarArchive(entries: readonly GsTarEntry[]): Buffer {
  return Buffer.concat(entries.map((entry) => encodeGsTarEntry(entry)))
}

/** Bytes one entry takes in an archive (header + padded data): what the size estimate counts. */
export function gsTarEntrySize(entry: GsTarEntry): number {
  const size = contentOf(entry).length
  return GS_TAR_HEADER_SIZE + size + gsTarPadding(size)
}

/** A decoded header (for this package's own tests and for tests that inspect simulator output). */
export interface GsTarHeader {
  readonly name: string
  readonly mode: number
  readonly size: number
  readonly type: string
  readonly linkTarget: string
}

function cstringAt(block: Buffer, start: number, end: number): string {
  const slice = block.subarray(start, end)
  const nul = slice.indexOf(0)
  return slice.subarray(0, nul === -1 ? slice.length : nul).toString('utf8')
}

export function decodeGsTarHeader(block: Buffer): GsTarHeader {
  if (block.length !== GS_TAR_HEADER_SIZE) {
    throw new Error(`a gs_tar header is ${GS_TAR_HEADER_SIZE} bytes, got ${block.length}`)
  }
  return {
    name: cstringAt(block, GsTarOffset.name, GsTarOffset.mode),
    mode: Number.parseInt(cstringAt(block, GsTarOffset.mode, GsTarOffset.mode + 8).trim(), 8),
    size: Number.parseInt(cstringAt(block, GsTarOffset.size, GsTarOffset.size + GS_TAR_SIZE_DIGITS), 8),
    type: String.fromCharCode(block[GsTarOffset.type] ?? 0),
    linkTarget: cstringAt(block, GsTarOffset.linkTarget, GsTarOffset.linkTarget + GS_TAR_NAME_MAX + 1),
  }
}
