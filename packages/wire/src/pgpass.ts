// The password file (~/.pgpass or PGPASSFILE): `host:port:database:user:password` lines, `*`
// matching anything, `\:` and `\\` escapes, `#` comments. As libpq does, a file that the group or
// others can read is ignored with a warning, and the first matching line wins.
import { readFileSync, statSync } from 'node:fs'

export interface PassFileQuery {
  readonly host: string
  readonly port: string
  readonly database: string
  readonly user: string
}

const GROUP_WORLD_BITS = 0o077
const FIELD_COUNT = 5

/** Splits one line into its fields, undoing escapes. `undefined` for comments and malformed lines. */
export function parsePassFileLine(line: string): string[] | undefined {
  if (line.startsWith('#') || line.trim() === '') {
    return undefined
  }
  const fields: string[] = []
  let current = ''
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i] as string
    if (ch === '\\' && i + 1 < line.length) {
      current += line[i + 1]
      i += 1
    } else if (ch === ':' && fields.length < FIELD_COUNT - 1) {
      fields.push(current)
      current = ''
    } else {
      current += ch
    }
  }
  fields.push(current)
  return fields.length === FIELD_COUNT ? fields : undefined
}

function matches(pattern: string, value: string): boolean {
  return pattern === '*' || pattern === value
}

/** The password of the first line matching the query, or undefined. Pure: takes the file's text. */
export function lookupPassFile(text: string, query: PassFileQuery): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const fields = parsePassFileLine(line)
    if (!fields) {
      continue
    }
    const [host, port, database, user, password] = fields as [string, string, string, string, string]
    if (matches(host, query.host) && matches(port, query.port) && matches(database, query.database) && matches(user, query.user)) {
      return password
    }
  }
  return undefined
}

/** Reads the file and looks the password up; warns (without any secret) and skips an unsafe or unreadable file. */
export function passwordFromFile(path: string, query: PassFileQuery, warn: (message: string) => void): string | undefined {
  let mode: number
  try {
    const stat = statSync(path)
    if (!stat.isFile()) {
      return undefined
    }
    mode = stat.mode
  } catch {
    return undefined
  }
  if (mode & GROUP_WORLD_BITS) {
    warn(`password file "${path}" has group or world access; permissions should be u=rw (0600) or less`)
    return undefined
  }
  try {
    return lookupPassFile(readFileSync(path, 'utf8'), query)
  } catch {
    warn(`could not read password file "${path}"`)
    return undefined
  }
}
