// libpq connection strings: `key=value` lists (values quoted with '…' and backslash escapes) and
// postgresql:// URIs (percent-encoding, [v6] hosts, host lists, ?key=value parameters).
import { ConnInfoError } from './errors.js'

/** The libpq keywords this client understands. */
export const CONNINFO_KEYWORDS: readonly string[] = [
  'host', 'hostaddr', 'port', 'dbname', 'user', 'password', 'passfile', 'connect_timeout',
  'application_name', 'fallback_application_name', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey',
  'channel_binding', 'replication', 'client_encoding', 'options', 'sslsni', 'target_session_attrs',
  'keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count', 'gssencmode', 'requiressl',
]

/** Parsed keywords, in the order given (a later duplicate wins, as in libpq). */
export type ConnInfo = Readonly<Record<string, string>>

const URI_PREFIXES = ['postgresql://', 'postgres://']

/** Parses either form; throws ConnInfoError with the position of the problem (never the value). */
export function parseConnInfo(text: string): ConnInfo {
  if (URI_PREFIXES.some((prefix) => text.startsWith(prefix))) {
    return parseUri(text)
  }
  return parseKeywordValue(text)
}

function checkKeyword(key: string): void {
  if (!CONNINFO_KEYWORDS.includes(key)) {
    throw new ConnInfoError(`invalid connection option "${key}"`)
  }
}

function parseKeywordValue(text: string): ConnInfo {
  const result: Record<string, string> = {}
  let i = 0
  const skipSpace = (): void => {
    while (i < text.length && /\s/.test(text[i] as string)) {
      i += 1
    }
  }
  for (;;) {
    skipSpace()
    if (i >= text.length) {
      return result
    }
    const keyStart = i
    while (i < text.length && text[i] !== '=' && !/\s/.test(text[i] as string)) {
      i += 1
    }
    const key = text.slice(keyStart, i)
    skipSpace()
    if (text[i] !== '=') {
      throw new ConnInfoError(`missing "=" after "${key}" in connection info string`)
    }
    i += 1
    skipSpace()
    let value = ''
    if (text[i] === "'") {
      i += 1
      for (;;) {
        if (i >= text.length) {
          throw new ConnInfoError(`unterminated quoted string in connection info string`)
        }
        const ch = text[i] as string
        if (ch === '\\' && i + 1 < text.length) {
          value += text[i + 1]
          i += 2
        } else if (ch === "'") {
          i += 1
          break
        } else {
          value += ch
          i += 1
        }
      }
    } else {
      while (i < text.length && !/\s/.test(text[i] as string)) {
        const ch = text[i] as string
        if (ch === '\\' && i + 1 < text.length) {
          value += text[i + 1]
          i += 2
        } else {
          value += ch
          i += 1
        }
      }
    }
    checkKeyword(key)
    result[key] = value
  }
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    throw new ConnInfoError(`invalid percent-encoding in the URI's ${what}`)
  }
}

function parseUri(text: string): ConnInfo {
  const result: Record<string, string> = {}
  let rest = text.slice(text.indexOf('://') + 3)
  const queryAt = rest.indexOf('?')
  const query = queryAt >= 0 ? rest.slice(queryAt + 1) : ''
  rest = queryAt >= 0 ? rest.slice(0, queryAt) : rest
  const slashAt = rest.indexOf('/')
  const authority = slashAt >= 0 ? rest.slice(0, slashAt) : rest
  const path = slashAt >= 0 ? rest.slice(slashAt + 1) : undefined
  const atAt = authority.lastIndexOf('@')
  const userInfo = atAt >= 0 ? authority.slice(0, atAt) : undefined
  const hostPart = atAt >= 0 ? authority.slice(atAt + 1) : authority
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(':')
    const user = colon >= 0 ? userInfo.slice(0, colon) : userInfo
    if (user) {
      result.user = decode(user, 'user')
    }
    if (colon >= 0) {
      result.password = decode(userInfo.slice(colon + 1), 'password')
    }
  }
  if (hostPart) {
    const hosts: string[] = []
    const ports: string[] = []
    for (const item of hostPart.split(',')) {
      let host: string
      let port = ''
      if (item.startsWith('[')) {
        const close = item.indexOf(']')
        if (close < 0) {
          throw new ConnInfoError('unterminated [IPv6] host in the URI')
        }
        host = item.slice(1, close)
        const after = item.slice(close + 1)
        if (after.startsWith(':')) {
          port = after.slice(1)
        } else if (after) {
          throw new ConnInfoError('unexpected characters after an [IPv6] host in the URI')
        }
      } else {
        const colon = item.lastIndexOf(':')
        host = colon >= 0 ? item.slice(0, colon) : item
        port = colon >= 0 ? item.slice(colon + 1) : ''
      }
      hosts.push(decode(host, 'host'))
      ports.push(decode(port, 'port'))
    }
    if (hosts.some((host) => host !== '')) {
      result.host = hosts.join(',')
    }
    if (ports.some((port) => port !== '')) {
      result.port = ports.join(',')
    }
  }
  if (path) {
    result.dbname = decode(path, 'database name')
  }
  if (query) {
    for (const pair of query.split('&')) {
      if (!pair) {
        continue
      }
      const eq = pair.indexOf('=')
      if (eq < 0) {
        throw new ConnInfoError(`missing "=" in URI query parameter "${pair.slice(0, 40)}"`)
      }
      let key = decode(pair.slice(0, eq), 'query')
      if (key === 'ssl' && pair.slice(eq + 1) === 'true') {
        result.sslmode = 'require'
        continue
      }
      if (key === 'database') {
        key = 'dbname'
      }
      checkKeyword(key)
      result[key] = decode(pair.slice(eq + 1), 'query')
    }
  }
  return result
}
