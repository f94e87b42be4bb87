import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as errors from './errors.js'

const catalogue = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')

function instances(): Array<{ code: string; exitCode: number }> {
  return Object.values(errors).map((ErrorClass) => {
    const Construct = ErrorClass as unknown as new (...args: string[]) => { code: string; exitCode: number }
    return new Construct('x', 'y')
  })
}

describe('backup errors', () => {
  it('have unique codes', () => {
    const codes = instances().map((error) => error.code)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('are each listed in docs/errors.md', () => {
    for (const { code } of instances()) {
      expect(catalogue).toContain(`| ${code} |`)
    }
  })
})
