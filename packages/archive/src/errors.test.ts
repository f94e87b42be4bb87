import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as errors from './errors.js'

const catalogue = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
const section = catalogue.split('### @tidemark/archive')[1]?.split(/\n### /)[0] ?? ''

function instances(): Array<{ code: string; exitCode: number }> {
  return Object.values(errors).map((ErrorClass) => {
    const Construct = ErrorClass as unknown as new (...args: unknown[]) => { code: string; exitCode: number }
    return new Construct('x', 1, 'y')
  })
}

describe('archive errors', () => {
  it('have unique codes with the archive prefix', () => {
    const codes = instances().map((error) => error.code)
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) {
      expect(code).toMatch(/^TIDEMARK_ERR_ARCHIVE_[A-Z_]+$/)
    }
  })

  it('are each listed with their exit code under ### @tidemark/archive in docs/errors.md', () => {
    for (const { code, exitCode } of instances()) {
      expect(section).toContain(`| ${code} | ${exitCode} |`)
    }
  })

  it('lists no stale code in its docs section', () => {
    const listed = [...section.matchAll(/\| (TIDEMARK_ERR_[A-Z_]+) \|/g)].map((match) => match[1])
    const codes = new Set(instances().map((error) => error.code))
    expect(listed.filter((code) => !codes.has(code ?? ''))).toEqual([])
  })
})
