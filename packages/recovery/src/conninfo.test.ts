import { describe, expect, it } from 'vitest'
import { conninfoString, conninfoValue } from './conninfo.js'

/** libpq's conninfo_parse for one value: bare up to a space, or quoted with \ escapes. */
function parseValue(text: string): string {
  if (!text.startsWith("'")) {
    return text
  }
  let out = ''
  for (let index = 1; index < text.length - 1; index += 1) {
    const char = text[index]
    if (char === '\\') {
      index += 1
      out += text[index]
    } else {
      out += char
    }
  }
  return out
}

describe('conninfoValue', () => {
  it.each(['plain', '/var/run/postgresql', 'my host', "it's", 'back\\slash', 'a=b', '', "\\'"])(
    'quotes %j so libpq reads it back',
    (value) => {
      expect(parseValue(conninfoValue(value))).toBe(value)
    }
  )

  it('leaves plain words bare', () => {
    expect(conninfoValue('10.0.0.1')).toBe('10.0.0.1')
    expect(conninfoValue("pa ss'")).toBe("'pa ss\\''")
  })
})

describe('conninfoString', () => {
  it('joins the given parameters and leaves out undefined ones', () => {
    expect(conninfoString({ host: '/var/run/my pg', port: 5432, user: 'rep', password: undefined, application_name: 'walreceiver' })).toBe(
      "host='/var/run/my pg' port=5432 user=rep application_name=walreceiver"
    )
  })
})
