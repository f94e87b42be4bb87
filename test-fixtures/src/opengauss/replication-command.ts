// The replication grammar the simulator accepts (repl_gram.y / repl_scanner.l, reference §2):
// openGauss's keyword-list BASE_BACKUP, START_REPLICATION without TIMELINE, the IDENTIFY_* family.
// Keywords are upper case only (the scanner has no case-insensitive option); unquoted identifiers
// are downcased. Anything else fails the parse ("replication command parser returned 1").
import { parseLsn } from './lsn.js'

export interface BaseBackupOptions {
  readonly label: string
  readonly progress: boolean
  readonly fast: boolean
  readonly wal: boolean
  readonly noWait: boolean
  readonly tablespaceMap: boolean
  readonly buildStandby: boolean
}

export type ReplicationCommand =
  | { readonly name: 'IDENTIFY_SYSTEM' }
  | { readonly name: 'IDENTIFY_VERSION' }
  | { readonly name: 'IDENTIFY_MODE' }
  | { readonly name: 'BASE_BACKUP'; readonly options: BaseBackupOptions }
  | { readonly name: 'START_REPLICATION'; readonly slot: string | null; readonly startLsn: bigint }
  /** In the grammar, but the simulator does not implement it (answered with an error saying so). */
  | { readonly name: 'UNSUPPORTED'; readonly keyword: string }

/** What `exec_replication_command` reports when the parse fails. */
export const REPLICATION_PARSE_ERROR_MESSAGE = 'replication command parser returned 1'

export class ReplicationSyntaxError extends Error {
  constructor() {
    super(REPLICATION_PARSE_ERROR_MESSAGE)
  }
}

type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'quoted'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'lsn'; readonly text: string }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'punct'; readonly text: string }

function tokenize(command: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < command.length) {
    const rest = command.slice(i)
    const space = /^[ \t\n]+/.exec(rest)
    if (space) {
      i += space[0].length
      continue
    }
    const lsn = /^[0-9A-Fa-f]+\/[0-9A-Fa-f]+/.exec(rest)
    if (lsn) {
      tokens.push({ kind: 'lsn', text: lsn[0] })
      i += lsn[0].length
      continue
    }
    const number = /^[0-9]+/.exec(rest)
    if (number) {
      tokens.push({ kind: 'number', text: number[0] })
      i += number[0].length
      continue
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)
    if (word) {
      tokens.push({ kind: 'word', text: word[0] })
      i += word[0].length
      continue
    }
    if (rest.startsWith("'")) {
      // The replication scanner only knows doubled quotes as an escape.
      let text = ''
      let j = 1
      for (;;) {
        const ch = rest[j]
        if (ch === undefined) {
          throw new ReplicationSyntaxError()
        }
        if (ch === "'") {
          if (rest[j + 1] === "'") {
            text += "'"
            j += 2
            continue
          }
          break
        }
        text += ch
        j += 1
      }
      tokens.push({ kind: 'string', text })
      i += j + 1
      continue
    }
    if (rest.startsWith('"')) {
      const end = rest.indexOf('"', 1)
      if (end === -1) {
        throw new ReplicationSyntaxError()
      }
      tokens.push({ kind: 'quoted', text: rest.slice(1, end) })
      i += end + 1
      continue
    }
    tokens.push({ kind: 'punct', text: rest[0] ?? '' })
    i += 1
  }
  return tokens
}

const isKeyword = (token: Token | undefined, keyword: string): boolean => token?.kind === 'word' && token.text === keyword

function parseBaseBackupOptions(tokens: readonly Token[]): BaseBackupOptions {
  const options = {
    label: 'base backup',
    progress: false,
    fast: false,
    wal: false,
    noWait: false,
    tablespaceMap: false,
    buildStandby: false,
  }
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]
    if (token?.kind !== 'word') {
      throw new ReplicationSyntaxError()
    }
    switch (token.text) {
      case 'LABEL': {
        const value = tokens[i + 1]
        if (value?.kind !== 'string') {
          throw new ReplicationSyntaxError()
        }
        options.label = value.text
        i += 1
        break
      }
      case 'PROGRESS':
        options.progress = true
        break
      case 'FAST':
        options.fast = true
        break
      case 'WAL':
        options.wal = true
        break
      case 'NOWAIT':
        options.noWait = true
        break
      case 'TABLESPACE_MAP':
        options.tablespaceMap = true
        break
      case 'BUILDSTANDBY':
        options.buildStandby = true
        break
      case 'OBSMODE':
      case 'COPYSECUREFILE':
      case 'NEEDUPGRADEFILE':
        break
      default:
        throw new ReplicationSyntaxError()
    }
  }
  return options
}

/** Parses one replication command; throws `ReplicationSyntaxError` for what the grammar rejects. */
export function parseReplicationCommand(command: string): ReplicationCommand {
  const tokens = tokenize(command)
  // `firstcmd: command opt_semicolon`
  if (tokens.at(-1)?.kind === 'punct' && tokens.at(-1)?.text === ';') {
    tokens.pop()
  }
  const [first, ...rest] = tokens
  if (first?.kind !== 'word') {
    throw new ReplicationSyntaxError()
  }
  const keyword = first.text
  switch (keyword) {
    case 'IDENTIFY_SYSTEM':
    case 'IDENTIFY_VERSION':
    case 'IDENTIFY_MODE':
      if (rest.length > 0) {
        throw new ReplicationSyntaxError()
      }
      return { name: keyword }
    case 'BASE_BACKUP':
      return { name: 'BASE_BACKUP', options: parseBaseBackupOptions(rest) }
    case 'START_REPLICATION': {
      let i = 0
      let slot: string | null = null
      if (isKeyword(rest[i], 'SLOT')) {
        const name = rest[i + 1]
        if (name?.kind !== 'word' && name?.kind !== 'quoted') {
          throw new ReplicationSyntaxError()
        }
        slot = name.kind === 'word' ? name.text.toLowerCase() : name.text
        i += 2
      }
      if (isKeyword(rest[i], 'PHYSICAL')) {
        i += 1
      }
      const lsn = rest[i]
      if (lsn?.kind !== 'lsn' || rest.length !== i + 1) {
        throw new ReplicationSyntaxError()
      }
      return { name: 'START_REPLICATION', slot, startLsn: parseLsn(lsn.text) }
    }
    case 'IDENTIFY_MAXLSN':
    case 'IDENTIFY_CONSISTENCE':
    case 'IDENTIFY_CHANNEL':
    case 'IDENTIFY_AZ':
    case 'CREATE_REPLICATION_SLOT':
    case 'DROP_REPLICATION_SLOT':
    case 'ADVANCE_REPLICATION':
    case 'ADVANCE_CATALOG_XMIN':
    case 'FETCH_MOT_CHECKPOINT':
      return { name: 'UNSUPPORTED', keyword }
    default:
      throw new ReplicationSyntaxError()
  }
}
