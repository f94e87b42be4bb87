import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SAMPLE_FILES, run, tempDirs, writeSampleArchive } from '../testing/restore-side.js'

const dirs = tempDirs()
afterAll(() => dirs.removeAll())

describe('tidemark extract', () => {
  it('extracts a gs_tar archive into a new directory and says what it did', async () => {
    const dir = dirs.make()
    const archive = writeSampleArchive(dir)
    const target = join(dir, 'data')
    const result = await run(['extract', '-N', '-v', '-D', target, archive])
    expect(result.err).toContain('tidemark: extracting base.tar (gs_tar, uncompressed)')
    expect(result.out).toBe(`extracted 1 archive(s), 3 files, into ${target} (opengauss)\n`)
    expect(result.exitCode).toBe(0)
    for (const [name, content] of Object.entries(SAMPLE_FILES)) {
      expect(readFileSync(join(target, name), 'utf8')).toBe(content)
    }
    expect(readFileSync(join(target, 'global/pg_dw.build'))).toEqual(Buffer.alloc(8192))
  })

  it('exits 1 for a missing source and 3 for a target that is not empty, touching nothing', async () => {
    const dir = dirs.make()
    const missing = await run(['extract', '-D', join(dir, 'data'), join(dir, 'nope.tar')])
    expect(missing.exitCode).toBe(1)
    expect(missing.err).toMatch(/^tidemark: backup ".*nope\.tar" does not exist \[TIDEMARK_ERR_BACKUP_SOURCE\]\n$/)
    const target = join(dir, 'full')
    mkdirSync(target)
    writeFileSync(join(target, 'mine'), '')
    const busy = await run(['extract', '-D', target, writeSampleArchive(dir)])
    expect(busy.exitCode).toBe(3)
    expect(busy.err).toContain('[TIDEMARK_ERR_BACKUP_TARGET_NOT_EMPTY]')
    expect(readdirSync(target)).toEqual(['mine'])
  })

  it('refuses a malformed -T as a usage error', async () => {
    const dir = dirs.make()
    const result = await run(['extract', '-D', join(dir, 'data'), '-T', 'relative=/x', writeSampleArchive(dir)])
    expect(result.exitCode).toBe(2)
    expect(result.err).toContain('[TIDEMARK_ERR_BACKUP_TABLESPACE_MAPPING]')
  })
})
