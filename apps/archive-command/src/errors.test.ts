import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as errors from './errors.js'
import { exitStatusOf } from './exit-status.js'

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
const start = docs.indexOf('### tidemark-wal')
const end = docs.indexOf('\n### ', start + 1)
const section = docs.slice(start, end < 0 ? undefined : end)

describe('errors', () => {
  it('lists every code with its exit status under ### tidemark-wal in docs/errors.md, and nothing stale', () => {
    const all = Object.values(errors).map((ErrorClass) => new ErrorClass('x'))
    expect(new Set(all.map((e) => e.code)).size).toBe(all.length)
    for (const error of all) {
      const row = new RegExp(`^\\| ${error.code} \\| ([0-9/]+) \\|`, 'm').exec(section)
      expect(row?.[1]?.split('/').map(Number), error.code).toContain(error.exitCode)
    }
    expect(new errors.CliInterruptedError('SIGTERM').exitCode).toBe(143)
    const listed = [...section.matchAll(/^\| (TIDEMARK_ERR_\w+) \|/gm)].map((m) => m[1])
    expect(listed.sort()).toEqual(all.map((e) => e.code).sort())
  })

  it('reports a non-Tidemark failure as an internal error on one line', () => {
    expect(exitStatusOf(new TypeError('boom\n  at x'))).toEqual({
      exitCode: 4,
      line: 'tidemark-wal: unexpected failure: boom at x [TIDEMARK_ERR_WAL_CLI_INTERNAL]',
    })
  })
})
