import { describe, expect, it } from 'vitest'
import { parseConf } from './conf-parser.js'
import { quoteGucValue, unquoteGucValue } from './guc-quote.js'

const VALUES = ['', 'plain', "it's", "''", 'C:\\wal\\%f', '\\\\server\\share', "mixed \\' quote", 'tab\there', 'ünïcode', '#not a comment']

describe('quoteGucValue', () => {
  it('doubles single quotes and backslashes, as ALTER SYSTEM writes', () => {
    expect(quoteGucValue("it's")).toBe("'it''s'")
    expect(quoteGucValue('C:\\wal')).toBe("'C:\\\\wal'")
    expect(quoteGucValue("a\\'b")).toBe("'a\\\\''b'")
    expect(quoteGucValue('')).toBe("''")
  })

  it.each(VALUES)('round-trips %j through the configuration-file parser', (value) => {
    expect(parseConf(`key = ${quoteGucValue(value)}\n`)).toEqual([{ key: 'key', value, line: 1 }])
  })
})

describe('unquoteGucValue', () => {
  it('applies the escapes the server file parser applies', () => {
    expect(unquoteGucValue("a''b")).toBe("a'b")
    expect(unquoteGucValue("a\\'b")).toBe("a'b")
    expect(unquoteGucValue('\\n\\t\\r\\b\\f')).toBe('\n\t\r\b\f')
    expect(unquoteGucValue('\\101\\7x')).toBe('A\u0007x')
    expect(unquoteGucValue('\\q\\\\')).toBe('q\\')
  })
})
