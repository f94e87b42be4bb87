import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as errors from './errors.js'

const catalogue = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')

const serverFields = {
  severity: 'ERROR', code: '42000', message: 'x', detail: undefined, hint: undefined, position: undefined,
  internalPosition: undefined, internalQuery: undefined, where: undefined, schema: undefined, table: undefined,
  column: undefined, dataType: undefined, constraint: undefined, file: undefined, line: undefined, routine: undefined,
}

function instances(): Array<{ code: string; exitCode: number }> {
  return Object.values(errors).map((ErrorClass) => {
    if (ErrorClass === errors.ServerError) {
      return new errors.ServerError(serverFields)
    }
    const Construct = ErrorClass as unknown as new (...args: unknown[]) => { code: string; exitCode: number }
    return new Construct('x', 'y')
  })
}

describe('wire errors', () => {
  it('have unique codes', () => {
    const codes = instances().map((error) => error.code)
    expect(codes.length).toBeGreaterThan(10)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('are each listed in docs/errors.md with their exit code', () => {
    for (const { code, exitCode } of instances()) {
      expect(catalogue).toContain(`| ${code} | ${exitCode} |`)
    }
  })

  it('keeps every ErrorResponse field on ServerError', () => {
    const error = new errors.ServerError({ ...serverFields, detail: 'd', hint: 'h', where: 'w', routine: 'r' })
    expect(error).toMatchObject({ sqlState: '42000', severity: 'ERROR', detail: 'd', hint: 'h', where: 'w', routine: 'r' })
    expect(error.message).toBe('server error: x (SQLSTATE 42000)')
  })
})
