// The base archive's entries on their way to extraction: tablespace_map is read and consumed (not
// written), pg_tblspc/<oid> links are noted and left for the extractor to make at the tablespaces'
// final locations, and a pg_wal / pg_xlog link becomes a real directory.
import type { TarEntry } from '@tidemark/archive'

export interface TablespaceLink {
  readonly oid: string
  readonly target: string
  /** gs_tar type '3': the target is relative to the data directory. */
  readonly relativeToRoot: boolean
}

/** What the base archive said about the backup while it was extracted. */
export interface BaseArchiveFacts {
  tablespaceMap: string | undefined
  readonly links: TablespaceLink[]
  /** Whether a pg_xlog (openGauss) or pg_wal entry was seen. */
  walDirectory: 'pg_wal' | 'pg_xlog' | undefined
}

export function emptyBaseFacts(): BaseArchiveFacts {
  return { tablespaceMap: undefined, links: [], walDirectory: undefined }
}

const TABLESPACE_LINK = /^pg_tblspc\/(\d+)$/

async function readText(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of body) {
    chunks.push(Buffer.from(chunk))
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Passes the base archive's entries through, noting and taking out what extract handles itself. */
export async function* baseEntries(entries: AsyncIterable<TarEntry>, facts: BaseArchiveFacts, signal?: AbortSignal): AsyncGenerator<TarEntry> {
  for await (const entry of entries) {
    signal?.throwIfAborted()
    const { header } = entry
    if (header.name === 'tablespace_map' && header.type === 'file') {
      facts.tablespaceMap = await readText(entry.body)
      continue
    }
    const oid = TABLESPACE_LINK.exec(header.name)?.[1]
    if (oid !== undefined && header.type === 'symlink') {
      facts.links.push({ oid, target: header.linkname, relativeToRoot: header.linkRelativeToRoot })
      continue
    }
    if (header.name === 'pg_wal' || header.name === 'pg_xlog') {
      facts.walDirectory = header.name
      if (header.type === 'symlink') {
        yield { header: { ...header, type: 'directory', mode: 0o700, linkname: '', linkRelativeToRoot: false, size: 0 }, body: entry.body }
        continue
      }
    }
    yield entry
  }
}

/** Checks the abort signal between entries of any archive. */
export async function* abortableEntries(entries: AsyncIterable<TarEntry>, signal?: AbortSignal): AsyncGenerator<TarEntry> {
  for await (const entry of entries) {
    signal?.throwIfAborted()
    yield entry
  }
}
