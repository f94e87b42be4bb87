// The entry model shared by the tar and gs_tar readers.
import type { Readable } from 'node:stream'

export type TarEntryKind = 'file' | 'directory' | 'symlink' | 'link' | 'other'

export interface TarHeader {
  /** As stored, without a leading './' or a directory's trailing '/'. */
  readonly name: string
  readonly type: TarEntryKind
  readonly size: number
  /** Permission bits (& 0o7777). */
  readonly mode: number
  readonly mtime: Date
  /** Symlink target or hard-link source; '' for other types. */
  readonly linkname: string
  readonly uid: number
  readonly gid: number
  readonly uname: string
  readonly gname: string
  /** gs_tar type '3': the link target is relative to the data directory, not absolute. */
  readonly linkRelativeToRoot: boolean
  /** The typeflag as stored ('0', '5', '2', 'x', …). */
  readonly typeflag: string
  /** Byte offset of this entry's (first) header in the uncompressed archive. */
  readonly offset: number
}

/**
 * One entry: drain or ignore `body` before asking for the next entry; an unread body is skipped
 * (and destroyed) when the iteration moves on.
 */
export interface TarEntry {
  readonly header: TarHeader
  readonly body: Readable
}
