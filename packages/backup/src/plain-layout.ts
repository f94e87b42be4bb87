// Where a plain backup puts things: the base archive in the target directory, each tablespace in
// its -T location (or its original path), pg_tblspc links pointing there, pg_wal possibly a link to
// --waldir. All decided from the BASE_BACKUP header before a byte is written.
import { isAbsolute, join } from 'node:path'
import type { TarHeader } from '@tidemark/archive'
import { checkTargetDirectory } from './target-directory.js'
import { TablespaceConflictError, TargetNotEmptyError } from './errors.js'
import { mapTablespace, type TablespaceMapping } from './tablespace-mapping.js'

export interface ServerTablespace {
  readonly oid: number
  /** Absolute on PostgreSQL; relative to the data directory for openGauss in-directory tablespaces. */
  readonly location: string
}

export interface PlacedTablespace extends ServerTablespace {
  /** Where the backup writes it. */
  readonly target: string
  /** Inside the backup's data directory (openGauss relative tablespaces): no link to make. */
  readonly insideDataDir: boolean
}

/** Each tablespace's place in the backup; -T maps absolute locations, relative ones stay inside. */
export function placeTablespaces(
  tablespaces: readonly ServerTablespace[],
  targetDir: string,
  mappings: readonly TablespaceMapping[]
): PlacedTablespace[] {
  return tablespaces.map((tablespace) =>
    isAbsolute(tablespace.location)
      ? { ...tablespace, target: mapTablespace(tablespace.location, mappings), insideDataDir: false }
      : { ...tablespace, target: join(targetDir, tablespace.location), insideDataDir: true }
  )
}

/**
 * Refuses, before anything is written, a tablespace that would land in a non-empty directory: on
 * the server's own machine that is the live tablespace (the reference's same-server case).
 */
export async function checkTablespaceTargets(placed: readonly PlacedTablespace[]): Promise<void> {
  for (const tablespace of placed) {
    if (tablespace.insideDataDir) {
      continue
    }
    try {
      await checkTargetDirectory(tablespace.target, 'tablespace directory')
    } catch (error) {
      if (error instanceof TargetNotEmptyError) {
        throw new TablespaceConflictError(tablespace.target)
      }
      throw error
    }
  }
}

const TABLESPACE_LINK = /^pg_tblspc\/(\d+)$/

/**
 * The base archive's header rewrite for plain format: pg_tblspc/<oid> links point at the
 * tablespace's place in the backup; with --waldir the WAL directory entry itself is dropped
 * (it is a link to --waldir, made beforehand).
 */
export function plainBaseRewrite(
  placed: readonly PlacedTablespace[],
  walDirName: string | undefined
): (header: TarHeader) => TarHeader | undefined {
  const byOid = new Map(placed.map((tablespace) => [String(tablespace.oid), tablespace]))
  return (header) => {
    if (walDirName !== undefined && header.name === walDirName && header.type === 'directory') {
      return undefined
    }
    const link = TABLESPACE_LINK.exec(header.name)
    const tablespace = link ? byOid.get(link[1] ?? '') : undefined
    if (header.type === 'symlink' && tablespace && !tablespace.insideDataDir) {
      return { ...header, linkname: tablespace.target }
    }
    return header
  }
}
