// bin/tidemark-wal, the shell fast path of `get --prefetch`: a segment already in the spool is
// renamed into place without starting Node.js; everything else goes to bin/tidemark-wal.js.
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const FAST_PATH = fileURLToPath(new URL('../bin/tidemark-wal', import.meta.url))
const SEGMENT = '00000001000000000000002A'

/** Runs the script with a "node" that records its arguments (and NODE_EXTRA_CA_CERTS) instead of running anything. */
function run(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number; node: string | undefined } {
  const fakeNode = join(dir, 'fake-node')
  writeFileSync(
    fakeNode,
    `#!/bin/sh\nprintf '%s\\n' "$@" > ${join(dir, 'node-args')}\nprintf '%s' "\${NODE_EXTRA_CA_CERTS-unset}" > ${join(dir, 'node-ca')}\nexit 1\n`,
    { mode: 0o755 }
  )
  rmSync(join(dir, 'node-args'), { force: true })
  let status = 0
  try {
    execFileSync('/bin/sh', [FAST_PATH, ...args], { cwd: dir, env: { ...process.env, TIDEMARK_NODE: fakeNode, ...env }, stdio: 'pipe' })
  } catch (error) {
    status = (error as { status: number }).status
  }
  const node = existsSync(join(dir, 'node-args')) ? readFileSync(join(dir, 'node-args'), 'utf8') : undefined
  return { status, node }
}

describe('bin/tidemark-wal fast path', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tidemark-fast-path-'))
    mkdirSync(join(dir, 'pg_wal', '.tidemark-prefetch'), { recursive: true })
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('renames a spooled segment into %p without Node.js', () => {
    writeFileSync(join(dir, 'pg_wal', '.tidemark-prefetch', SEGMENT), 'segment bytes')
    const result = run(dir, ['get', '--repo', '/r', '--prefetch', '8', SEGMENT, 'pg_wal/RECOVERYXLOG'])
    expect(result).toEqual({ status: 0, node: undefined })
    expect(readFileSync(join(dir, 'pg_wal', 'RECOVERYXLOG'), 'utf8')).toBe('segment bytes')
    expect(existsSync(join(dir, 'pg_wal', '.tidemark-prefetch', SEGMENT))).toBe(false)
  })

  it('starts Node.js without NODE_EXTRA_CA_CERTS for a directory repository, and keeps it for a URL', () => {
    const ca = (): string => readFileSync(join(dir, 'node-ca'), 'utf8')
    const bundle = { NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem', TIDEMARK_REPO: '' }
    run(dir, ['push', '--repo', '/r', 'pg_wal/x', SEGMENT], bundle)
    expect(ca()).toBe('unset')
    run(dir, ['push', '--repo', 's3://bucket/wal', 'pg_wal/x', SEGMENT], bundle)
    expect(ca()).toBe('/etc/ssl/extra.pem')
    run(dir, ['push', '--repo=https://agent:7480', 'pg_wal/x', SEGMENT], bundle)
    expect(ca()).toBe('/etc/ssl/extra.pem')
    run(dir, ['push', 'pg_wal/x', SEGMENT], { ...bundle, TIDEMARK_REPO: 'https://agent:7480' })
    expect(ca()).toBe('/etc/ssl/extra.pem')
  })

  it('accepts --prefetch=N and an absolute %p', () => {
    writeFileSync(join(dir, 'pg_wal', '.tidemark-prefetch', SEGMENT), 'x')
    expect(run(dir, ['get', '--prefetch=2', '--repo=/r', SEGMENT, join(dir, 'pg_wal', 'RECOVERYXLOG')]).status).toBe(0)
  })

  it('hands a miss, a history file, no --prefetch and other commands to tidemark-wal.js with every argument', () => {
    const miss = run(dir, ['get', '--repo', '/r', '--prefetch', '8', SEGMENT, 'pg_wal/RECOVERYXLOG'])
    expect(miss.status).toBe(1)
    expect(miss.node?.split('\n').slice(1, -1)).toEqual(['get', '--repo', '/r', '--prefetch', '8', SEGMENT, 'pg_wal/RECOVERYXLOG'])
    writeFileSync(join(dir, 'pg_wal', '.tidemark-prefetch', SEGMENT), 'x')
    expect(run(dir, ['get', '--repo', '/r', SEGMENT, 'pg_wal/RECOVERYXLOG']).node).toBeDefined()
    expect(run(dir, ['get', '--repo', '/r', '--prefetch', '0', SEGMENT, 'pg_wal/RECOVERYXLOG']).node).toBeDefined()
    writeFileSync(join(dir, 'pg_wal', '.tidemark-prefetch', '00000002.history'), 'x')
    expect(run(dir, ['get', '--prefetch', '8', '00000002.history', 'pg_wal/RECOVERYHISTORY']).node).toBeDefined()
    expect(run(dir, ['push', '--repo', '/r', 'pg_wal/x', SEGMENT]).node?.startsWith(`${join(fileURLToPath(new URL('../bin', import.meta.url)), 'tidemark-wal.js')}\n`)).toBe(true)
    expect(existsSync(join(dir, 'pg_wal', 'RECOVERYXLOG'))).toBe(false)
  })

  it('waits for a segment a live prefetcher is about to write, and not for a dead one', async () => {
    const spool = join(dir, 'pg_wal', '.tidemark-prefetch')
    writeFileSync(join(spool, 'lock'), String(process.pid))
    const started = Date.now()
    const late = new Promise<void>((resolve) =>
      setTimeout(() => {
        writeFileSync(join(spool, SEGMENT), 'late segment')
        resolve()
      }, 60)
    )
    const result = await runAsync(dir, ['get', '--prefetch', '4', SEGMENT, 'pg_wal/RECOVERYXLOG'])
    await late
    expect(result).toEqual({ status: 0, node: undefined })
    expect(readFileSync(join(dir, 'pg_wal', 'RECOVERYXLOG'), 'utf8')).toBe('late segment')
    expect(Date.now() - started).toBeGreaterThanOrEqual(60)
    writeFileSync(join(spool, 'lock'), '999999999')
    expect(run(dir, ['get', '--prefetch', '4', SEGMENT, 'pg_wal/RECOVERYXLOG']).node).toBeDefined()
  })
})

/** run() without blocking the event loop (the test writes the segment meanwhile). */
function runAsync(dir: string, args: string[]): Promise<{ status: number; node: string | undefined }> {
  const fakeNode = join(dir, 'fake-node')
  writeFileSync(fakeNode, `#!/bin/sh\nprintf '%s\\n' "$@" > ${join(dir, 'node-args')}\nexit 1\n`, { mode: 0o755 })
  rmSync(join(dir, 'node-args'), { force: true })
  return new Promise((resolve) => {
    execFile('/bin/sh', [FAST_PATH, ...args], { cwd: dir, env: { ...process.env, TIDEMARK_NODE: fakeNode } }, (error) => {
      const node = existsSync(join(dir, 'node-args')) ? readFileSync(join(dir, 'node-args'), 'utf8') : undefined
      resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, node })
    })
  })
}
