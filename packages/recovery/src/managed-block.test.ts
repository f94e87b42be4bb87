import { describe, expect, it } from 'vitest'
import { ConfigFileError } from './errors.js'
import { beginMarker, endMarker, findManagedBlock, replaceManagedBlock } from './managed-block.js'

const BEGIN = beginMarker('recovery')
const END = endMarker('recovery')

describe('replaceManagedBlock', () => {
  it('appends a block to a file without one, adding a missing final newline', () => {
    expect(replaceManagedBlock("work_mem = '7MB'", 'recovery', ["a = '1'"])).toBe(
      `work_mem = '7MB'\n${BEGIN}\na = '1'\n${END}\n`
    )
    expect(replaceManagedBlock('', 'recovery', [])).toBe(`${BEGIN}\n${END}\n`)
  })

  it('replaces its own earlier block, moves it last and keeps every other line as it was', () => {
    const before = `# header\nwork_mem = '7MB'\n${BEGIN}\na = '1'\nb = '2'\n${END}\n# user comment\nport = 5433\n`
    expect(replaceManagedBlock(before, 'recovery', ["a = '9'"])).toBe(
      `# header\nwork_mem = '7MB'\n# user comment\nport = 5433\n${BEGIN}\na = '9'\n${END}\n`
    )
  })

  it('gives the same file when run twice with the same lines', () => {
    const once = replaceManagedBlock("x = '1'\n", 'recovery', ["a = '1'"])
    expect(replaceManagedBlock(once, 'recovery', ["a = '1'"])).toBe(once)
  })

  it('leaves other blocks alone and removes a block when given no lines', () => {
    const both = replaceManagedBlock(replaceManagedBlock('', 'port', ["port = '5433'"]), 'recovery', ["a = '1'"])
    expect(both).toBe(`${beginMarker('port')}\nport = '5433'\n${endMarker('port')}\n${BEGIN}\na = '1'\n${END}\n`)
    expect(replaceManagedBlock(both, 'recovery', undefined)).toBe(
      `${beginMarker('port')}\nport = '5433'\n${endMarker('port')}\n`
    )
  })

  it.each([
    ['a BEGIN without END', `${BEGIN}\na = 1\n`, /has no END line/],
    ['an END without BEGIN', `a = 1\n${END}\n`, /has no BEGIN line/],
    ['two blocks', `${BEGIN}\n${END}\n${BEGIN}\n${END}\n`, /a second/],
  ])('refuses a damaged file: %s', (_what, text, message) => {
    expect(() => replaceManagedBlock(text, 'recovery', [], 'postgresql.auto.conf')).toThrow(ConfigFileError)
    expect(() => replaceManagedBlock(text, 'recovery', [], 'postgresql.auto.conf')).toThrow(message)
  })
})

describe('findManagedBlock', () => {
  it('returns the lines between the markers', () => {
    expect(findManagedBlock(`x\n${BEGIN}\na\nb\n${END}\n`, 'recovery')).toEqual({ begin: 1, end: 4, lines: ['a', 'b'] })
    expect(findManagedBlock('x\n', 'recovery')).toBeUndefined()
  })
})
