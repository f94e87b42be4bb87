import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as errors from './errors.js'
import { exitStatusOf } from './exit-status.js'
import { httpStatusOf } from './http-status.js'

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
const start = docs.indexOf('### tidemark-agent')
const end = docs.indexOf('\n### ', start + 1)
const section = start < 0 ? '' : docs.slice(start, end < 0 ? undefined : end)

function instances(): { code: string; exitCode: number; message: string }[] {
  return Object.values(errors).map((ErrorClass) => new (ErrorClass as unknown as new (message: string) => { code: string; exitCode: number; message: string })('m'))
}

describe('agent errors', () => {
  it('have unique codes, each listed with its exit code under ### tidemark-agent in docs/errors.md', () => {
    const all = instances()
    expect(new Set(all.map((e) => e.code)).size).toBe(all.length)
    for (const error of all) {
      expect(error.code).toMatch(/^TIDEMARK_ERR_AGENT_[A-Z_]+$/)
      expect(section).toContain(`| ${error.code} | ${error.exitCode} |`)
    }
  })

  it('lists no stale code in its docs section', () => {
    const listed = [...section.matchAll(/^\| (TIDEMARK_ERR_\w+) \|/gm)].map((m) => m[1])
    expect(listed.sort()).toEqual(instances().map((e) => e.code).sort())
  })

  it('become one stderr line and an HTTP status', () => {
    expect(exitStatusOf(new errors.AgentInsecureListenError('refusing\nto listen'))).toEqual({
      exitCode: 3,
      line: 'tidemark: refusing to listen [TIDEMARK_ERR_AGENT_INSECURE_LISTEN]',
    })
    expect(exitStatusOf(new Error('boom')).line).toBe('tidemark: unexpected failure: boom [TIDEMARK_ERR_AGENT_INTERNAL]')
    expect(httpStatusOf(new errors.AgentUnauthorizedError('x'))).toBe(401)
    expect(httpStatusOf(new errors.AgentBusyError('x'))).toBe(409)
    expect(httpStatusOf(new errors.AgentNotFoundError('x'))).toBe(404)
    expect(httpStatusOf({ code: 'TIDEMARK_ERR_WAL_BAD_NAME', exitCode: 2, message: '' })).toBe(400)
  })
})
