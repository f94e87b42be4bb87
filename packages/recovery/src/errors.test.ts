import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as errors from './errors.js'

const catalogue = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
const section = catalogue.slice(catalogue.indexOf('### @tidemark/recovery')).split(/\n### /)[0] ?? ''

function instances(): Array<{ code: string; exitCode: number; message: string }> {
  return Object.values(errors).map((ErrorClass) => {
    const Construct = ErrorClass as unknown as new (...args: unknown[]) => { code: string; exitCode: number; message: string }
    return new Construct(['x'], 'y')
  })
}

describe('recovery errors', () => {
  it('have unique codes of the recovery area', () => {
    const codes = instances().map((error) => error.code)
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) {
      expect(code).toMatch(/^TIDEMARK_ERR_RECOVERY_[A-Z_]+$/)
    }
  })

  it('are each listed with their exit status under the package heading of docs/errors.md', () => {
    for (const { code, exitCode } of instances()) {
      expect(section).toContain(`| ${code} | ${exitCode} |`)
    }
  })

  it('lists no code under the heading that the package does not have', () => {
    const listed = [...section.matchAll(/^\| (TIDEMARK_ERR_\w+) \|/gm)].map((match) => match[1])
    expect(listed.sort()).toEqual(instances().map((error) => error.code).sort())
  })
})
