// The contents of each tar a BASE_BACKUP sends, in the server's order (reference §3.5,
// `SendTableSpaceForBackup` and `sendDir`): pure, from a data-directory description.
import { decideBaseEntry } from './backup-filter.js'
import { OG_WAL_SEGMENT_SIZE } from './constants.js'
import type { SimDataDirectory, SimEntry, SimTablespace } from './data-directory.js'
import { GS_TAR_INJECTED_FILE_MODE, gsTarEntrySize } from './gs-tar.js'
import type { GsTarEntry } from './gs-tar.js'
import { walSegmentName } from './lsn.js'

/** A WAL segment sent with the `WAL` option: a 16 MB file generated on the fly. */
export interface WalSegmentItem {
  readonly name: string
  readonly startLsn: bigint
}

export type BackupItem = { readonly entry: GsTarEntry } | { readonly walSegment: WalSegmentItem }

export interface BaseContentOptions {
  readonly backupLabel: string
  /** `TABLESPACE_MAP`: send `tablespace_map` after backup_label and `pg_tblspc` without links. */
  readonly tablespaceMap: boolean
  /** application_name was gs_basebackup. */
  readonly isGsBasebackup: boolean
  /** The server's timeline: history files TLI…2 follow pg_control. */
  readonly timeline: number
}

const injected = (name: string, content: string): GsTarEntry => ({
  name,
  kind: 'file',
  mode: GS_TAR_INJECTED_FILE_MODE,
  content,
})

function toTarEntry(entry: SimEntry): GsTarEntry {
  if (entry.kind === 'directory') {
    return { name: entry.path, kind: 'directory' }
  }
  return entry.mode === undefined
    ? { name: entry.path, kind: 'file', content: entry.content }
    : { name: entry.path, kind: 'file', content: entry.content, mode: entry.mode }
}

/** The `pg_tblspc/<oid>` link of a tablespace: `'3'` relative to PGDATA, `'2'` absolute. */
function tablespaceLink(tablespace: SimTablespace): GsTarEntry {
  return tablespace.relative
    ? { name: `pg_tblspc/${tablespace.oid}`, kind: 'relative-symlink', linkTarget: tablespace.location }
    : { name: `pg_tblspc/${tablespace.oid}`, kind: 'symlink', linkTarget: tablespace.location }
}

/** `tablespace_map`: one `oid path` line per tablespace (absolute paths). */
export function tablespaceMapText(data: SimDataDirectory): string {
  return data.tablespaces
    .map((t) => `${t.oid} ${t.relative ? `${data.dataDir}/${t.location}` : t.location}\n`)
    .join('')
}

/** The data directory's entries the server walks (`sendDir`), pg_control excluded (it is sent last). */
export function baseDirectoryEntries(data: SimDataDirectory, options: BaseContentOptions): GsTarEntry[] {
  const out: GsTarEntry[] = []
  for (const entry of data.entries) {
    if (decideBaseEntry(entry.path, options.isGsBasebackup) !== 'send') {
      continue
    }
    if (entry.path === 'pg_xlog' && data.xlogLinkTarget !== undefined) {
      // A symlinked pg_xlog: the link header goes out twice, with no archive_status (reference §6).
      const link: GsTarEntry = data.xlogLinkTarget.startsWith(`${data.dataDir}/`)
        ? { name: 'pg_xlog', kind: 'relative-symlink', linkTarget: data.xlogLinkTarget.slice(data.dataDir.length + 1) }
        : { name: 'pg_xlog', kind: 'symlink', linkTarget: data.xlogLinkTarget }
      out.push(link, link)
      continue
    }
    if (entry.path === 'pg_xlog') {
      out.push({ name: 'pg_xlog', kind: 'directory' }, { name: 'pg_xlog/archive_status', kind: 'directory' })
      continue
    }
    out.push(toTarEntry(entry))
    if (entry.path === 'pg_tblspc' && !options.tablespaceMap) {
      out.push(...data.tablespaces.map((t) => tablespaceLink(t)))
    }
  }
  const control = data.entries.find((e) => e.path === 'global/pg_control')
  if (control) {
    out.push(toTarEntry(control))
  }
  return out
}

/** `pg_xlog/%08X.history`, the name `TLHistoryFilePath` gives. */
export function historyFileName(timeline: number): string {
  return `pg_xlog/${timeline.toString(16).toUpperCase().padStart(8, '0')}.history`
}

/** History files present in the data directory for timelines TLI down to 2, in that order. */
export function historyEntries(data: SimDataDirectory, timeline: number): GsTarEntry[] {
  const out: GsTarEntry[] = []
  for (let tli = timeline; tli > 1; tli -= 1) {
    const entry = data.entries.find((e) => e.path === historyFileName(tli))
    if (entry) {
      out.push(toTarEntry(entry))
    }
  }
  return out
}

/** The `*.history` files pg_xlog holds (what the WAL option's history loop scans for), by file name. */
export function historyFilesInXlog(data: SimDataDirectory): string[] {
  return data.entries
    .filter((e) => /^pg_xlog\/[0-9A-F]{8}\.history$/.test(e.path))
    .map((e) => e.path.slice('pg_xlog/'.length))
}

/**
 * Everything of the base tar except the WAL: backup_label, [tablespace_map], the directory,
 * pg_control, then the timeline history files.
 */
export function baseTarEntries(data: SimDataDirectory, options: BaseContentOptions): GsTarEntry[] {
  const head = [injected('backup_label', options.backupLabel)]
  if (options.tablespaceMap) {
    head.push(injected('tablespace_map', tablespaceMapText(data)))
  }
  return [...head, ...baseDirectoryEntries(data, options), ...historyEntries(data, options.timeline)]
}

/** A tablespace's tar: its entries, relative to its location. */
export function tablespaceTarEntries(tablespace: SimTablespace): GsTarEntry[] {
  return tablespace.entries.map((entry) => toTarEntry(entry))
}

/**
 * `WAL`: each segment from the start LSN's to the one holding the byte before the end LSN
 * (`XLByteToPrevSeg`), followed by its empty `.done` marker.
 */
export function walItems(timeline: number, startLsn: bigint, endLsn: bigint): BackupItem[] {
  const size = BigInt(OG_WAL_SEGMENT_SIZE)
  const items: BackupItem[] = []
  const last = endLsn > 0n ? (endLsn - 1n) / size : 0n
  for (let seg = startLsn / size; seg <= last; seg += 1n) {
    const name = walSegmentName(timeline, seg * size, OG_WAL_SEGMENT_SIZE)
    items.push({ walSegment: { name, startLsn: seg * size } })
    items.push({ entry: injected(`pg_xlog/archive_status/${name}.done`, '') })
  }
  return items
}

/** The `size` column (kB, with PROGRESS): 2560 bytes per header plus padded data, as `sendDir(sizeonly)` counts. */
export function estimatedSizeKb(entries: readonly GsTarEntry[]): number {
  return Math.floor(entries.reduce((sum, entry) => sum + gsTarEntrySize(entry), 0) / 1024)
}
