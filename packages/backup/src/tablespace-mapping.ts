import { isAbsolute, normalize } from 'node:path'
import { TablespaceMappingError } from './errors.js'

export interface TablespaceMapping {
  readonly oldDir: string
  readonly newDir: string
}

/** Like PostgreSQL's canonicalize_path: no trailing slash, no `.` or doubled separators. */
export function canonicalPath(path: string): string {
  const normalized = normalize(path)
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized
}

/**
 * Parses one `-T OLDDIR=NEWDIR`, as pg_basebackup and gs_basebackup do: `\=` is a literal `=`, a
 * second unescaped `=` is an error, and both sides must be absolute.
 */
export function parseTablespaceMapping(arg: string): TablespaceMapping {
  const sides = ['', '']
  let side = 0
  for (let i = 0; i < arg.length; i += 1) {
    let char = arg[i]
    if (char === '\\' && arg[i + 1] === '=') {
      i += 1
    } else if (char === '=') {
      if (side === 1) {
        throw new TablespaceMappingError(`multiple "=" signs in tablespace mapping "${arg}"`)
      }
      side = 1
      continue
    }
    char = arg[i]
    sides[side] += char ?? ''
  }
  const [oldDir = '', newDir = ''] = sides
  const seenSeparator = side === 1
  if (!seenSeparator || oldDir === '' || newDir === '') {
    throw new TablespaceMappingError(`invalid tablespace mapping format "${arg}", must be "OLDDIR=NEWDIR"`)
  }
  if (!isAbsolute(oldDir)) {
    throw new TablespaceMappingError(`old directory is not an absolute path in tablespace mapping: ${oldDir}`)
  }
  if (!isAbsolute(newDir)) {
    throw new TablespaceMappingError(`new directory is not an absolute path in tablespace mapping: ${newDir}`)
  }
  return { oldDir: canonicalPath(oldDir), newDir: canonicalPath(newDir) }
}

/** Parses every -T and refuses the same OLDDIR mapped twice. */
export function parseTablespaceMappings(args: readonly string[]): TablespaceMapping[] {
  const mappings = args.map(parseTablespaceMapping)
  const seen = new Set<string>()
  for (const mapping of mappings) {
    if (seen.has(mapping.oldDir)) {
      throw new TablespaceMappingError(`tablespace "${mapping.oldDir}" is mapped more than once`)
    }
    seen.add(mapping.oldDir)
  }
  return mappings
}

/** Where a tablespace at `location` on the server goes: its mapping, or the same absolute path. */
export function mapTablespace(location: string, mappings: readonly TablespaceMapping[]): string {
  const canonical = canonicalPath(location)
  return mappings.find((mapping) => mapping.oldDir === canonical)?.newDir ?? canonical
}
