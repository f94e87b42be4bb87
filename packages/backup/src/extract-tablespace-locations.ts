// Where each tablespace of a tar backup goes: its tablespace_map line, else its pg_tblspc link in the
// base archive; absolute locations pass through -T; openGauss tablespaces inside the data directory
// (pg_location/…, gs_tar type '3' links) go under the new data directory.
import { join } from 'node:path'
import { safeEntryParts } from '@tidemark/archive'
import type { BaseArchiveFacts } from './extract-base-entries.js'
import { parseTablespaceMap } from './extract-tablespace-map.js'
import { TablespaceLocationError } from './errors.js'
import { mapTablespace, type TablespaceMapping } from './tablespace-mapping.js'

function insideDataDir(targetDir: string, relative: string, oid: string): string {
  const checked = safeEntryParts(relative)
  if ('refused' in checked || checked.parts.length === 0) {
    throw new TablespaceLocationError(`tablespace ${oid}: location "${relative}" inside the data directory is not a safe relative path`)
  }
  return join(targetDir, ...checked.parts)
}

/** openGauss writes relative tablespaces into tablespace_map as `<old PGDATA>/pg_location/<name>`. */
function openGaussRelative(path: string): string | undefined {
  const at = path.indexOf('/pg_location/')
  return at < 0 ? undefined : path.slice(at + 1)
}

/** oid → the absolute directory the tablespace's archive is extracted into. */
export function tablespaceLocations(
  facts: BaseArchiveFacts,
  targetDir: string,
  flavor: 'postgresql' | 'opengauss',
  mappings: readonly TablespaceMapping[]
): Map<string, string> {
  const locations = new Map<string, string>()
  for (const link of facts.links) {
    locations.set(link.oid, link.relativeToRoot ? insideDataDir(targetDir, link.target, link.oid) : mapTablespace(link.target, mappings))
  }
  for (const line of parseTablespaceMap(facts.tablespaceMap ?? '')) {
    const relative = flavor === 'opengauss' ? openGaussRelative(line.path) : undefined
    locations.set(line.oid, relative !== undefined ? insideDataDir(targetDir, relative, line.oid) : mapTablespace(line.path, mappings))
  }
  for (const [oid, location] of locations) {
    if (!location.startsWith('/')) {
      throw new TablespaceLocationError(`tablespace ${oid}: location "${location}" is not an absolute path; map it with -T`)
    }
  }
  return locations
}
