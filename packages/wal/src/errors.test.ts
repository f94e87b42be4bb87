import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as errors from './errors.js'

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
const section = docs.slice(docs.indexOf('### @tidemark/wal'), docs.indexOf('\n### ', docs.indexOf('### @tidemark/wal') + 1))

function instances(): { code: string; exitCode: number }[] {
  return Object.values(errors).map((ErrorClass) => {
    const Make = ErrorClass as unknown as new (...args: string[]) => { code: string; exitCode: number }
    return new Make('a', 'b', 'c')
  })
}

describe('errors', () => {
  it('has unique codes, each listed with its exit code under ### @tidemark/wal in docs/errors.md', () => {
    const all = instances()
    expect(all.length).toBeGreaterThan(10)
    expect(new Set(all.map((e) => e.code)).size).toBe(all.length)
    for (const error of all) {
      expect(error.code).toMatch(/^TIDEMARK_ERR_WAL_[A-Z_]+$/)
      expect(section).toContain(`| ${error.code} | ${error.exitCode} |`)
    }
  })

  it('lists no stale code in its docs section', () => {
    const listed = [...section.matchAll(/^\| (TIDEMARK_ERR_\w+) \|/gm)].map((m) => m[1])
    expect(listed.sort()).toEqual(instances().map((e) => e.code).sort())
  })

  it('names both checksums in a conflict and both systems in a mismatch', () => {
    expect(new errors.WalConflictError('F', 'aaa', 'bbb').message).toMatch(/archived sha256 aaa, pushed sha256 bbb/)
    expect(new errors.WalSystemMismatchError('F', '111', '222').message).toMatch(/system 222 .*system 111/)
    expect(new errors.WalNotFoundError('F').exitCode).toBe(1)
  })
})
