import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as errors from './errors.js'

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
const start = docs.indexOf('### @tidemark/storage')
const end = docs.indexOf('\n### ', start + 1)
const section = docs.slice(start, end < 0 ? undefined : end)

function instances(): { code: string; exitCode: number }[] {
  return Object.values(errors).map((ErrorClass) => new (ErrorClass as new (message: string) => { code: string; exitCode: number })('x'))
}

describe('errors', () => {
  it('has unique codes, each listed with its exit code under ### @tidemark/storage in docs/errors.md', () => {
    expect(start).toBeGreaterThan(0)
    const all = instances()
    expect(all.length).toBeGreaterThan(5)
    expect(new Set(all.map((e) => e.code)).size).toBe(all.length)
    for (const error of all) {
      expect(error.code).toMatch(/^TIDEMARK_ERR_STORAGE_[A-Z_]+$/)
      expect(section).toContain(`| ${error.code} | ${error.exitCode} |`)
    }
  })

  it('lists no stale code in its docs section', () => {
    const listed = [...section.matchAll(/^\| (TIDEMARK_ERR_\w+) \|/gm)].map((m) => m[1])
    expect(listed.sort()).toEqual(instances().map((e) => e.code).sort())
  })
})
