import { ConfigFileError } from './errors.js'

/** The blocks Tidemark manages in a configuration file, each between its own two marker lines. */
export type ManagedBlockId = 'recovery' | 'standby' | 'port'

export function beginMarker(id: ManagedBlockId): string {
  return `# BEGIN tidemark ${id} (managed by tidemark: replaced on each run; put your own settings outside this block)`
}

export function endMarker(id: ManagedBlockId): string {
  return `# END tidemark ${id}`
}

const BEGIN = /^# BEGIN tidemark ([a-z]+)\b/
const END = /^# END tidemark ([a-z]+)\s*$/

/** Where a managed block sits in a file: line indexes of its markers (0-based) and the lines between. */
export interface ManagedBlock {
  readonly begin: number
  readonly end: number
  readonly lines: readonly string[]
}

/** The block `id` in `text`, or undefined. Throws ConfigFileError for a damaged or repeated block. */
export function findManagedBlock(text: string, id: ManagedBlockId, fileName = 'configuration file'): ManagedBlock | undefined {
  const lines = splitLines(text)
  let found: ManagedBlock | undefined
  let openAt: number | undefined
  lines.forEach((line, index) => {
    const begin = BEGIN.exec(line)
    const end = END.exec(line)
    if (begin?.[1] === id) {
      if (openAt !== undefined || found) {
        throw damaged(fileName, id, `a second "# BEGIN tidemark ${id}" on line ${index + 1}`)
      }
      openAt = index
    } else if (end?.[1] === id) {
      if (openAt === undefined) {
        throw damaged(fileName, id, `"# END tidemark ${id}" on line ${index + 1} has no BEGIN line before it`)
      }
      found = { begin: openAt, end: index, lines: lines.slice(openAt + 1, index) }
      openAt = undefined
    }
  })
  if (openAt !== undefined) {
    throw damaged(fileName, id, `"# BEGIN tidemark ${id}" on line ${openAt + 1} has no END line`)
  }
  return found
}

/**
 * The file with block `id` replaced: an earlier block is removed where it was, everything else is kept
 * byte for byte, and the new block is appended at the very end, so its settings are the last ones the
 * server reads (the last occurrence of a key wins). `lines` undefined removes the block only.
 */
export function replaceManagedBlock(
  text: string,
  id: ManagedBlockId,
  lines: readonly string[] | undefined,
  fileName = 'configuration file'
): string {
  const block = findManagedBlock(text, id, fileName)
  let kept = text
  if (block) {
    const all = splitLines(text)
    kept = joinLines([...all.slice(0, block.begin), ...all.slice(block.end + 1)])
  }
  if (lines === undefined) {
    return kept
  }
  const prefix = kept === '' || kept.endsWith('\n') ? kept : `${kept}\n`
  return `${prefix}${[beginMarker(id), ...lines, endMarker(id)].join('\n')}\n`
}

/** Lines without their terminators; a final newline does not make an extra empty line. */
function splitLines(text: string): string[] {
  if (text === '') {
    return []
  }
  const lines = text.split('\n')
  if (text.endsWith('\n')) {
    lines.pop()
  }
  return lines
}

function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}

function damaged(fileName: string, id: ManagedBlockId, what: string): ConfigFileError {
  return new ConfigFileError(
    `${fileName}: the tidemark ${id} block is damaged (${what}); remove the tidemark marker lines by hand and run again`
  )
}
