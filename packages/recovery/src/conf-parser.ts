import { ConfigFileError } from './errors.js'
import { unquoteGucValue } from './guc-quote.js'

/** One `key = value` line of a configuration file. */
export interface ConfEntry {
  /** Lower case, as the server compares names. */
  readonly key: string
  /** The value as the server reads it (quotes removed, escapes applied). */
  readonly value: string
  /** 1-based line number. */
  readonly line: number
}

const LINE = /^\s*([A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)?)\s*(=\s*)?(.*)$/
const QUOTED = /^'((?:[^'\\\n]|\\.|'')*)'/
const BARE = /^[^\s#']+/

/**
 * Reads a postgresql.conf-style file (postgresql.conf, postgresql.auto.conf, recovery.conf): one
 * setting per line, `key = value` or `key value`, `#` comments. Throws ConfigFileError on a line
 * the server would reject too. `include` lines come back as entries named include, include_dir…
 */
export function parseConf(text: string, fileName = 'configuration file'): ConfEntry[] {
  const entries: ConfEntry[] = []
  const lines = text.split('\n')
  lines.forEach((raw, index) => {
    const lineNumber = index + 1
    const line = raw.replace(/\r$/, '')
    if (/^\s*(#.*)?$/.test(line)) {
      return
    }
    const match = LINE.exec(line)
    if (!match) {
      throw syntaxError(fileName, lineNumber, line)
    }
    const key = (match[1] ?? '').toLowerCase()
    const rest = match[3] ?? ''
    let value: string
    let after: string
    const quoted = QUOTED.exec(rest)
    if (quoted) {
      value = unquoteGucValue(quoted[1] ?? '')
      after = rest.slice(quoted[0].length)
    } else {
      const bare = BARE.exec(rest)
      if (!bare) {
        throw syntaxError(fileName, lineNumber, line)
      }
      value = bare[0]
      after = rest.slice(bare[0].length)
    }
    if (!/^\s*(#.*)?$/.test(after)) {
      throw syntaxError(fileName, lineNumber, line)
    }
    entries.push({ key, value, line: lineNumber })
  })
  return entries
}

/** The effective value of each key: the last occurrence wins, as in the server. */
export function effectiveSettings(entries: readonly ConfEntry[]): Map<string, string> {
  const settings = new Map<string, string>()
  for (const entry of entries) {
    settings.set(entry.key, entry.value)
  }
  return settings
}

function syntaxError(fileName: string, line: number, text: string): ConfigFileError {
  return new ConfigFileError(
    `${fileName} line ${line} is not "key = value" the server can read: ${JSON.stringify(text.slice(0, 120))}; fix or remove that line`
  )
}
