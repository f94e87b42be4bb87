// From decoded header blocks to the entry model (tar-entry.ts): shared by the pull reader
// (tar-reader.ts) and the push parser (tar-push-parser.ts), so both read archives the same way.
import { ArchiveCorruptError } from './errors.js'
import { decodeGsTarHeader } from './gs-tar-header.js'
import type { TarEntryKind, TarHeader } from './tar-entry.js'
import { TAR_BLOCK, decodeLongName, decodePaxRecords, decodeTarHeader, type RawTarHeader } from './tar-header.js'

const KINDS: Record<string, TarEntryKind> = { '0': 'file', '7': 'file', '5': 'directory', '2': 'symlink', '1': 'link' }

/** An extended header (pax, GNU long name or link) is refused beyond this size. */
export const MAX_EXTENDED_HEADER: number = 16 * 1024 * 1024

/** Zero bytes after a body, up to the next 512-byte block. */
export function blockPadding(size: number): number {
  return (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK
}

function cleanName(name: string): string {
  let out = name
  while (out.startsWith('./')) {
    out = out.slice(2)
  }
  out = out.length > 1 ? out.replace(/\/+$/, '') : out
  return out === '' ? '.' : out
}

/** The gs_tar header block at `offset` as an entry header; null at the end of the archive. */
export function gsTarEntryHeader(block: Uint8Array, archive: string, offset: number): TarHeader | null {
  let gs
  try {
    gs = decodeGsTarHeader(block)
  } catch (error) {
    throw new ArchiveCorruptError(archive, offset, `invalid gs_tar header: ${(error as Error).message}`, { cause: error })
  }
  if (gs === null) {
    return null
  }
  const type: TarEntryKind = gs.type === '0' ? 'file' : gs.type === '5' ? 'directory' : 'symlink'
  return {
    name: cleanName(gs.name),
    type,
    size: gs.size,
    mode: gs.mode,
    mtime: new Date(0),
    linkname: gs.linkname,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    linkRelativeToRoot: gs.type === '3',
    typeflag: gs.type,
    offset,
  }
}

/** A tar header block, decoded; null for a zero block (the end). Corruption names the archive and offset. */
export function decodeTarBlock(block: Uint8Array, archive: string, offset: number): RawTarHeader | null {
  try {
    return decodeTarHeader(block)
  } catch (error) {
    throw new ArchiveCorruptError(archive, offset, (error as Error).message, { cause: error })
  }
}

/** Whether a header only describes the next one (pax 'x'/'g', GNU long name 'L' or link 'K'). */
export function isExtendedHeader(raw: RawTarHeader): boolean {
  return raw.typeflag === 'x' || raw.typeflag === 'g' || raw.typeflag === 'L' || raw.typeflag === 'K'
}

/** What extended headers said about the entry that follows them. */
export class ExtendedHeaderState {
  pax: Map<string, string> = new Map()
  longName: string | undefined
  longLink: string | undefined

  /** Takes the data of the extended header `raw` (decoded at `offset`). */
  apply(raw: RawTarHeader, data: Uint8Array, archive: string, offset: number): void {
    try {
      if (raw.typeflag === 'x') {
        this.pax = new Map([...this.pax, ...decodePaxRecords(data)])
      } else if (raw.typeflag === 'L') {
        this.longName = decodeLongName(data)
      } else if (raw.typeflag === 'K') {
        this.longLink = decodeLongName(data)
      }
    } catch (error) {
      throw new ArchiveCorruptError(archive, offset, (error as Error).message, { cause: error })
    }
  }

  /** The entry header for `raw` with these overrides (`offset`: where the entry's first header began). */
  entryHeader(raw: RawTarHeader, archive: string, blockOffset: number, offset: number): TarHeader {
    const pax = this.pax
    const paxSize = pax.get('size')
    const size = paxSize === undefined ? raw.size : Number(paxSize)
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new ArchiveCorruptError(archive, blockOffset, 'invalid pax size')
    }
    const paxMtime = pax.get('mtime')
    const mtime = paxMtime === undefined ? raw.mtime : Number(paxMtime)
    const type = KINDS[raw.typeflag] ?? 'other'
    return {
      name: cleanName(pax.get('path') ?? this.longName ?? raw.name),
      type,
      size: type === 'file' || type === 'other' ? size : 0,
      mode: raw.mode & 0o7777,
      mtime: new Date(Number.isFinite(mtime) ? mtime * 1000 : 0),
      linkname: pax.get('linkpath') ?? this.longLink ?? raw.linkname,
      uid: pax.has('uid') ? Number(pax.get('uid')) : raw.uid,
      gid: pax.has('gid') ? Number(pax.get('gid')) : raw.gid,
      uname: pax.get('uname') ?? raw.uname,
      gname: pax.get('gname') ?? raw.gname,
      linkRelativeToRoot: false,
      typeflag: raw.typeflag,
      offset,
    }
  }
}
