// tablespace_map, as PostgreSQL and openGauss write it into a base backup: one `<oid> <path>` line
// per tablespace; PostgreSQL escapes a newline, carriage return or backslash in the path with a
// backslash.

export interface TablespaceMapLine {
  readonly oid: string
  readonly path: string
}

/** Parses tablespace_map text; lines that are not `<digits> <path>` are ignored. */
export function parseTablespaceMap(text: string): TablespaceMapLine[] {
  const lines: string[] = []
  let current = ''
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? ''
    if (char === '\\' && i + 1 < text.length) {
      i += 1
      current += text[i] ?? ''
    } else if (char === '\n') {
      lines.push(current)
      current = ''
    } else {
      current += char
    }
  }
  if (current !== '') {
    lines.push(current)
  }
  const result: TablespaceMapLine[] = []
  for (const line of lines) {
    const match = /^(\d+) (.+)$/s.exec(line.replace(/\r$/, ''))
    if (match?.[1] !== undefined && match[2] !== undefined) {
      result.push({ oid: match[1], path: match[2] })
    }
  }
  return result
}
