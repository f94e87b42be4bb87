import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TidemarkWalNotFoundError } from './errors.js'
import { findTidemarkWal, repoRestoreCommand } from './tidemark-wal-path.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true })
  }
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark wal path-'))
  dirs.push(dir)
  return dir
}

describe('findTidemarkWal', () => {
  it('finds the monorepo bin from this package', () => {
    expect(findTidemarkWal()).toMatch(/\/apps\/archive-command\/bin\/tidemark-wal\.js$/)
  })

  it('finds node_modules/.bin/tidemark-wal above an install', () => {
    const root = tempDir()
    mkdirSync(join(root, 'node_modules', '.bin'), { recursive: true })
    writeFileSync(join(root, 'node_modules', '.bin', 'tidemark-wal'), '#!/bin/sh\n')
    const from = join(root, 'node_modules', '@tidemark', 'cli', 'dist', 'commands')
    mkdirSync(from, { recursive: true })
    expect(findTidemarkWal(from)).toBe(join(root, 'node_modules', '.bin', 'tidemark-wal'))
  })

  it('says where it looked when there is none', () => {
    expect(() => findTidemarkWal('/')).toThrow(TidemarkWalNotFoundError)
  })
})

describe('repoRestoreCommand', () => {
  it('runs a .js bin with node, every path quoted for sh -c', () => {
    expect(repoRestoreCommand('/opt/tide mark/bin/tidemark-wal.js', '/srv/wal repo', '/usr/bin/node')).toBe(
      "/usr/bin/node '/opt/tide mark/bin/tidemark-wal.js' get --repo '/srv/wal repo' %f %p"
    )
    expect(repoRestoreCommand('/usr/local/bin/tidemark-wal', "/srv/it's 100%")).toBe(
      `/usr/local/bin/tidemark-wal get --repo '/srv/it'\\''s 100%%' %f %p`
    )
  })

  it('hands the program its arguments intact through sh -c', () => {
    const dir = tempDir()
    const fakeWal = join(dir, 'fake wal.js')
    writeFileSync(fakeWal, "console.log(JSON.stringify(process.argv.slice(2)))\n")
    const command = repoRestoreCommand(fakeWal, join(dir, "repo 'x'"))
    const substituted = command.replace('%f', '000000010000000000000003').replace('%p', 'pg_wal/RECOVERYXLOG')
    const out = execFileSync('/bin/sh', ['-c', substituted], { encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual(['get', '--repo', join(dir, "repo 'x'"), '000000010000000000000003', 'pg_wal/RECOVERYXLOG'])
  })
})
