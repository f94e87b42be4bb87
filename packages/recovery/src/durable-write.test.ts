import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFileDurably } from './durable-write.js'
import { ConfigWriteError } from './errors.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tidemark-durable-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('writeFileDurably', () => {
  it('creates a file with mode 0600 and leaves no temporary file', () => {
    writeFileDurably(join(dir, 'recovery.signal'), '')
    writeFileDurably(join(dir, 'a.conf'), 'x = 1\n')
    expect(readFileSync(join(dir, 'a.conf'), 'utf8')).toBe('x = 1\n')
    expect(statSync(join(dir, 'a.conf')).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir).sort()).toEqual(['a.conf', 'recovery.signal'])
  })

  it('replaces a file and keeps its mode', () => {
    writeFileSync(join(dir, 'a.conf'), 'old\n', { mode: 0o640 })
    chmodSync(join(dir, 'a.conf'), 0o640)
    writeFileDurably(join(dir, 'a.conf'), 'new\n')
    expect(readFileSync(join(dir, 'a.conf'), 'utf8')).toBe('new\n')
    expect(statSync(join(dir, 'a.conf')).mode & 0o777).toBe(0o640)
  })

  it('fails with TIDEMARK_ERR_RECOVERY_WRITE_FAILED and leaves the old file when the target cannot be replaced', () => {
    const target = join(dir, 'sub')
    writeFileDurably(join(dir, 'keep'), 'k')
    expect(() => writeFileDurably(join(target, 'a.conf'), 'x')).toThrow(ConfigWriteError)
    expect(readdirSync(dir)).toEqual(['keep'])
  })
})
