import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as errors from './errors.js'

const catalogue = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
const section = catalogue.slice(catalogue.indexOf('### tidemark (cli)')).split(/\n### /)[0] ?? ''

function instances(): Array<{ code: string; exitCode: number }> {
  return Object.values(errors).map((ErrorClass) => {
    const Construct = ErrorClass as unknown as new (...args: unknown[]) => { code: string; exitCode: number }
    return new Construct(['x'])
  })
}

describe('cli errors', () => {
  it('have unique codes of the CLI area', () => {
    const codes = instances().map((error) => error.code)
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) {
      expect(code).toMatch(/^TIDEMARK_ERR_CLI_[A-Z_]+$/)
    }
  })

  it('are listed with their exit status under "tidemark (cli)" in docs/errors.md, and nothing else is', () => {
    for (const { code, exitCode } of instances()) {
      const exit = code === 'TIDEMARK_ERR_CLI_INTERRUPTED' ? '130 / 143' : String(exitCode)
      expect(section).toContain(`| ${code} | ${exit} |`)
    }
    const listed = [...section.matchAll(/^\| (TIDEMARK_ERR_\w+) \|/gm)].map((match) => match[1])
    expect(listed.sort()).toEqual(instances().map((error) => error.code).sort())
  })

  it('exit 130 on SIGINT and 143 on SIGTERM', () => {
    expect(new errors.CliInterruptedError('SIGINT').exitCode).toBe(130)
    expect(new errors.CliInterruptedError('SIGTERM').exitCode).toBe(143)
  })
})
