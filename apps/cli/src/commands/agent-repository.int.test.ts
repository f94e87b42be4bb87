// A tidemark-agent's repository as --repo http://127.0.0.1:PORT, end to end on PostgreSQL 16: the
// agent runs as its own process on a directory, `tidemark basebackup --repo http://…` streams a
// backup through the agent's object routes into that directory, `tidemark backups` lists it,
// `tidemark verify` passes, `tidemark extract` reads it back and the extracted server holds the
// rows. A wrong token is one clear line and exit code 2.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  createSampleTable,
  freePort,
  scratchDir,
  startCluster,
  startExistingCluster,
  stopAllClusters,
  tableDigest,
} from '@tidemark/test-fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tidemarkWithEnv } from '../testing/s3-command-env.js'

const MAJOR = 16
const AGENT_DIR = fileURLToPath(new URL('../../../agent/', import.meta.url))
const TOKEN = 'cli-agent-token-0123456789abcdef'

let agent: ChildProcess | undefined

afterAll(async () => {
  agent?.kill('SIGTERM')
  await stopAllClusters()
})

/** The agent's built entry point (built once when missing). */
function agentBin(): string {
  if (!existsSync(join(AGENT_DIR, 'dist', 'main.js'))) {
    execFileSync('npx', ['--yes', 'pnpm@10.34.8', 'exec', 'tsc', '-p', 'tsconfig.build.json'], { cwd: AGENT_DIR, stdio: 'ignore' })
  }
  return join(AGENT_DIR, 'bin', 'tidemark-agent.js')
}

function secretFile(name: string, text: string): string {
  const file = join(scratchDir('cli-agent-token'), name)
  writeFileSync(file, `${text}\n`)
  chmodSync(file, 0o600)
  return file
}

async function startAgentProcess(repo: string): Promise<string> {
  const port = await freePort()
  const tokens = secretFile('agent.tokens', TOKEN)
  let log = ''
  agent = spawn(process.execPath, [agentBin(), '--listen', `127.0.0.1:${port}`, '--token-file', tokens, '--repo', repo], { stdio: ['ignore', 'pipe', 'pipe'] })
  agent.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  agent.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok).catch(() => false)
    if (ok) {
      return url
    }
    if (agent.exitCode !== null) {
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`tidemark-agent did not start: ${log}`)
}

let repoDir = ''
let url = ''

beforeAll(async () => {
  repoDir = scratchDir('cli-agent-repo')
  url = await startAgentProcess(repoDir)
}, 120_000)

describe(`--repo http://agent (PostgreSQL ${MAJOR})`, () => {
  it('basebackup streams through the agent into its directory; backups lists it, verify passes, the extracted backup holds the rows', async () => {
    const cluster = await startCluster({ major: MAJOR })
    await createSampleTable(cluster, 'items', 300)
    const rows = await tableDigest(cluster, 'items')
    const repo = ['--repo', url, '--token-file', secretFile('client.token', `# the agent's token\n${TOKEN}`)]
    const connection = ['-h', cluster.socketDir, '-p', String(cluster.port), '-U', 'postgres']

    const taken = await tidemarkWithEnv(['basebackup', ...repo, ...connection, '-c', 'fast', '-z'], {})
    expect(taken.exitCode, taken.err).toBe(0)
    const id = taken.out.trim()
    expect(id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/)
    // Stored by the agent, in its own directory.
    expect(existsSync(join(repoDir, 'backups', id, 'backup.json'))).toBe(true)
    expect(existsSync(join(repoDir, 'backups', id, 'data', 'base.tar.gz'))).toBe(true)

    const listed = await tidemarkWithEnv(['backups', ...repo, '--json'], {})
    expect(listed.exitCode, listed.err).toBe(0)
    expect((JSON.parse(listed.out) as { backups: Array<{ id: string }> }).backups.map((b) => b.id)).toEqual([id])

    const verified = await tidemarkWithEnv(['verify', ...repo, '--backup', id], {})
    expect(verified.exitCode, verified.out + verified.err).toBe(0)
    expect(verified.out).toMatch(/backup successfully verified: \d+ files, \d+ WAL segment/)

    const dataDir = join(scratchDir('cli-agent-extract'), 'data')
    const extracted = await tidemarkWithEnv(['extract', ...repo, '--backup', id, '-D', dataDir, '-N'], {})
    expect(extracted.exitCode, extracted.err).toBe(0)
    const restored = await startExistingCluster({ major: MAJOR, dataDir, conf: ['archive_mode = off'] })
    expect(await tableDigest(restored, 'items')).toEqual(rows)

    // expire reads the catalog and the WAL through the agent too; the only backup is kept.
    const expired = await tidemarkWithEnv(['expire', ...repo, '--retain-full', '1', '--dry-run'], {})
    expect(expired.exitCode, expired.err).toBe(0)
    expect(existsSync(join(repoDir, 'backups', id, 'backup.json'))).toBe(true)
  })

  it('a wrong token is one clear line and exit code 2; no token at all too', async () => {
    const wrong = await tidemarkWithEnv(['backups', '--repo', url, '--token-file', secretFile('wrong.token', 'not-the-token-0123456789')], {})
    expect(wrong.exitCode).toBe(2)
    expect(wrong.err).toBe(`tidemark: ${url} refused the token (HTTP 401): check --token-file, TIDEMARK_TOKEN_FILE or TIDEMARK_TOKEN [TIDEMARK_ERR_STORAGE_USAGE]\n`)
    const none = await tidemarkWithEnv(['backups', '--repo', url], {})
    expect(none.exitCode).toBe(2)
    expect(none.err.trim().split('\n')).toHaveLength(1)
    expect(none.err).toMatch(/needs a token: give --token-file FILE or set TIDEMARK_TOKEN/)
  })
})
