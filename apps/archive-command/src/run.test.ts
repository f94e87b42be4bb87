import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { run } from './run.js'

const SEGMENT = '000000010000000000000003'
const segmentBytes = (): Buffer =>
  gunzipSync(readFileSync(new URL(`../../../packages/wal/test/fixtures/pg16-1mb-${SEGMENT}.gz`, import.meta.url)))

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true })
  }
})

function workspace(): { repo: string; work: string } {
  const root = mkdtempSync(join(tmpdir(), 'tidemark-wal-cli-'))
  dirs.push(root)
  return { repo: join(root, 'repo'), work: root }
}

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string; spawned: string[][] }> {
  let out = ''
  let err = ''
  const spawned: string[][] = []
  const code = await run(argv, {
    env,
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    spawnPrefetch: (repo, spool, names) => void spawned.push([repo, spool, ...names]),
  })
  return { code, out, err, spawned }
}

describe('tidemark-wal', () => {
  it('pushes, re-pushes, gets and cleans up through the command line', async () => {
    const { repo, work } = workspace()
    const source = join(work, SEGMENT)
    writeFileSync(source, segmentBytes())
    expect(await cli(['push', '--repo', repo, '--compress', 'zstd:5', source, SEGMENT])).toEqual({ code: 0, out: '', err: '', spawned: [] })
    expect((await cli(['push', source, SEGMENT], { TIDEMARK_REPO: repo })).code).toBe(0)
    const got = await cli(['get', '--repo', repo, SEGMENT, join(work, 'RECOVERYXLOG')])
    expect(got.code).toBe(0)
    expect(readFileSync(join(work, 'RECOVERYXLOG')).equals(segmentBytes())).toBe(true)
    expect(await cli(['cleanup', '--repo', repo, '-n', '000000010000000000000004'])).toMatchObject({ code: 0, out: `${SEGMENT}\n` })
    expect(await cli(['cleanup', '--repo', repo, '000000010000000000000004'])).toMatchObject({ code: 0, out: '' })
    expect((await cli(['get', '--repo', repo, SEGMENT, join(work, 'again')])).code).toBe(1)
  })

  it('exits 1 with one short line when get finds nothing, and asks for a prefetch of what follows', async () => {
    const { repo, work } = workspace()
    expect(await cli(['get', '--repo', repo, '00000002.history', join(work, 'RECOVERYHISTORY')])).toEqual({
      code: 1,
      out: '',
      err: 'tidemark-wal: 00000002.history not found in the repository [TIDEMARK_ERR_WAL_NOT_FOUND]\n',
      spawned: [],
    })
    const source = join(work, SEGMENT)
    writeFileSync(source, segmentBytes())
    await cli(['push', '--repo', repo, source, SEGMENT])
    const pgWal = join(work, 'pg_wal')
    const got = await cli(['get', '--repo', repo, '--prefetch', '2', SEGMENT, join(pgWal, '..', 'RECOVERYXLOG')])
    expect(got.code).toBe(0)
    expect(got.spawned).toEqual([[repo, join(work, '.tidemark-prefetch'), '000000010000000000000004', '000000010000000000000005']])
  })

  it('maps refusals and usage errors to exit codes with one line and no stack', async () => {
    const { repo, work } = workspace()
    const source = join(work, SEGMENT)
    writeFileSync(source, segmentBytes())
    await cli(['push', '--repo', repo, source, SEGMENT])
    const changed = segmentBytes()
    changed[4000] = (changed[4000] ?? 0) ^ 1
    writeFileSync(source, changed)
    const conflict = await cli(['push', '--repo', repo, source, SEGMENT])
    expect(conflict.code).toBe(3)
    expect(conflict.err).toMatch(/^tidemark-wal: 000000010000000000000003 is already archived with different content \(archived sha256 [0-9a-f]{64}, pushed sha256 [0-9a-f]{64}\); the archived copy is kept \[TIDEMARK_ERR_WAL_CONFLICT\]\n$/)
    const cases: [string[], number, string][] = [
      [['push', '--repo', repo, source, '../../etc/passwd'], 2, 'TIDEMARK_ERR_WAL_BAD_NAME'],
      [['push', source, SEGMENT], 2, 'TIDEMARK_ERR_WAL_USAGE'],
      [['push', '--repo', repo, '--compress', 'brotli', source, SEGMENT], 2, 'TIDEMARK_ERR_WAL_USAGE'],
      [['push', '--repo', repo, join(work, 'missing'), '000000010000000000000009'], 4, 'TIDEMARK_ERR_WAL_SOURCE'],
      [['get', '--repo', repo, '--prefetch', 'x', SEGMENT, join(work, 'p')], 2, 'TIDEMARK_ERR_WAL_USAGE'],
      [['get', '--repo', repo, 'RECOVERYXLOG', join(work, 'p')], 2, 'TIDEMARK_ERR_WAL_BAD_NAME'],
      [['cleanup', '--repo', repo, '00000001.history'], 2, 'TIDEMARK_ERR_WAL_BAD_NAME'],
      [['push', '--repo', repo, source], 2, 'TIDEMARK_ERR_WAL_CLI_USAGE'],
      [['frobnicate'], 2, 'TIDEMARK_ERR_WAL_CLI_USAGE'],
      [['push', '--repo', 's3://bucket/wal', '--s3-path-style', 'maybe', source, SEGMENT], 2, 'TIDEMARK_ERR_STORAGE_USAGE'],
      [['get', '--repo', 's3://bucket/wal', '--s3-path-style=sideways', SEGMENT, join(work, 'p')], 2, 'TIDEMARK_ERR_STORAGE_USAGE'],
      [['cleanup', '--repo', 'ftp://host/wal', SEGMENT], 2, 'TIDEMARK_ERR_WAL_USAGE'],
      [['push', '--bogus'], 2, 'TIDEMARK_ERR_WAL_CLI_USAGE'],
    ]
    for (const [argv, code, errorCode] of cases) {
      const result = await cli(argv)
      expect({ argv, code: result.code }).toEqual({ argv, code })
      expect(result.err).toMatch(new RegExp(`^tidemark-wal: [^\\n]+ \\[${errorCode}\\]\\n$`))
      expect(result.err).not.toMatch(/\bat .*\.ts:\d+/)
    }
    expect(readdirSync(work).sort()).toEqual([SEGMENT, 'repo'])
  })

  it('prints help and version with exit 0', async () => {
    expect((await cli(['--help'])).out).toContain('Usage: tidemark-wal')
    expect((await cli(['push', '--help'])).out).toContain('--compress')
    expect(await cli(['--version'])).toMatchObject({ code: 0, err: '' })
  })
})

describe('signals', () => {
  it('exits 143 with one line on SIGTERM, leaving nothing behind', async () => {
    const { spawn } = await import('node:child_process')
    const { execFileSync } = await import('node:child_process')
    const { fileURLToPath } = await import('node:url')
    const packageDir = fileURLToPath(new URL('..', import.meta.url))
    execFileSync(process.execPath, ['build.mjs'], { cwd: packageDir })
    const { repo, work } = workspace()
    // A FIFO as %p: the push blocks reading it, after nothing was written.
    const fifo = join(work, 'fifo')
    execFileSync('mkfifo', [fifo])
    const child = spawn(process.execPath, [join(packageDir, 'bin', 'tidemark-wal.js'), 'push', '--repo', repo, fifo, '00000002.history'])
    let err = ''
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    await new Promise((resolve) => setTimeout(resolve, 500))
    const exited = new Promise((resolve) => child.on('exit', (exitCode) => resolve(exitCode)))
    child.kill('SIGTERM')
    // The blocked read of the FIFO holds a libuv thread that exit waits for: release it.
    await new Promise((resolve) => setTimeout(resolve, 200))
    writeFileSync(fifo, '')
    const code = await exited
    expect(code).toBe(143)
    expect(err).toBe('tidemark-wal: interrupted by SIGTERM; nothing partial was left behind [TIDEMARK_ERR_WAL_CLI_INTERRUPTED]\n')
    expect(readdirSync(work).sort()).toEqual(['fifo'])
  })
})
