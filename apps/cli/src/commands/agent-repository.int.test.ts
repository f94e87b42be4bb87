// A tidemark-agent's repository as --repo http://127.0.0.1:PORT, end to end on PostgreSQL 16: the
// agent runs as its own process on a directory, the server archives through it (`tidemark-wal push
// --repo http://…`), `tidemark basebackup --repo http://…` streams a backup through the agent's
// object routes into that directory, `tidemark backups` lists it, `tidemark verify` passes,
// `tidemark extract` reads it back and the extracted server holds the rows, and `tidemark pitr
// --repo http://…` picks that backup by itself and lands on a restore point with the right rows
// (the recovering server fetching WAL from the agent). A wrong token is one line and exit code 2.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  chownTree,
  createSampleTable,
  embeddedBinDir,
  freePort,
  scratchDir,
  serverOsUser,
  startCluster,
  startExistingCluster,
  stopAllClusters,
  switchWal,
  tableDigest,
  type Cluster,
  type OsUser,
} from '@tidemark/test-fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureWalBundle, queryRecovered, stopRecovered, waitArchived, type Scenario } from '../testing/pitr-scenario.js'
import { tidemarkWithEnv } from '../testing/s3-command-env.js'
import { findTidemarkWal } from '../tidemark-wal-path.js'

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

/** A file only its owner reads: root's, or the database server's (archive_command and restore_command read it). */
function secretFile(name: string, text: string, owner?: OsUser): string {
  const dir = scratchDir('cli-agent-token')
  const file = join(dir, name)
  writeFileSync(file, `${text}\n`)
  chmodSync(file, 0o600)
  if (owner !== undefined) {
    chownTree(dir, owner)
  }
  return file
}

/** The WAL segment names stored in a directory repository. */
function walFiles(repo: string): string[] {
  return readdirSync(join(repo, 'wal'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /^[0-9A-F]{24}$/.test(entry.name))
    .map((entry) => entry.name)
}

async function one(cluster: Cluster, sql: string): Promise<string> {
  const [row] = await cluster.query<{ v: string }>(sql)
  return row?.v ?? ''
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
  ensureWalBundle()
  repoDir = scratchDir('cli-agent-repo')
  url = await startAgentProcess(repoDir)
}, 120_000)

describe(`--repo http://agent (PostgreSQL ${MAJOR})`, () => {
  it('archives and backs up through the agent; backups lists it, verify passes, the extracted backup holds the rows, pitr lands on the restore point', async () => {
    const tokenFile = secretFile('client.token', `# the agent's token\n${TOKEN}`, serverOsUser())
    const repo = ['--repo', url, '--token-file', tokenFile]
    const archiveCommand = [process.execPath, findTidemarkWal(), 'push', ...repo, '%p', '%f'].join(' ')
    const cluster = await startCluster({ major: MAJOR, archiveCommand })
    await createSampleTable(cluster, 'items', 300)
    const rows = await tableDigest(cluster, 'items')
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

    await cluster.query(`INSERT INTO items SELECT g, 'late ' || g FROM generate_series(1001, 1010) AS g`)
    await cluster.query(`SELECT pg_create_restore_point('rp')`)
    await cluster.query(`INSERT INTO items SELECT g, 'later ' || g FROM generate_series(2001, 2010) AS g`)
    const segment = await one(cluster, `SELECT pg_walfile_name('${await switchWal(cluster)}'::pg_lsn) AS v`)
    await waitArchived((sql) => one(cluster, sql), segment)
    expect(existsSync(join(repoDir, 'tidemark-wal.json'))).toBe(true)

    const base = scratchDir('cli-agent-pitr')
    chownTree(base, serverOsUser())
    const pitrDir = join(base, 'data')
    const port = await freePort()
    const recovered = await tidemarkWithEnv(
      ['pitr', ...repo, '-D', pitrDir, '--start', '--pg-bin', embeddedBinDir(MAJOR), '--port', String(port), '--target-name', 'rp', '--target-action', 'promote'],
      {}
    )
    expect(recovered.exitCode, recovered.err).toBe(0)
    expect(recovered.err).toContain(`step 0: recovering from backup ${id}`)
    expect(recovered.out).toMatch(/target was reached and the server was promoted/)
    expect(readFileSync(join(pitrDir, 'postgresql.auto.conf'), 'utf8')).toContain(`get --repo ${url} --token-file ${tokenFile} %f %p`)
    const scenario = { cluster, major: MAJOR } as unknown as Scenario
    expect(await queryRecovered(scenario, port, `SELECT count(*) || '/' || max(id) AS v FROM items`)).toBe('310/1010')
    await stopRecovered(scenario, pitrDir)

    // A second backup; expire --retain-full 1 removes the first and the WAL only it needed, through the agent.
    const second = await tidemarkWithEnv(['basebackup', ...repo, ...connection, '-c', 'fast'], {})
    expect(second.exitCode, second.err).toBe(0)
    const secondId = second.out.trim()
    const after = await one(cluster, `SELECT pg_walfile_name('${await switchWal(cluster)}'::pg_lsn) AS v`)
    await waitArchived((sql) => one(cluster, sql), after)
    const walBefore = walFiles(repoDir)
    expect(walBefore).toContain(segment)
    const removed = await tidemarkWithEnv(['expire', ...repo, '--retain-full', '1'], {})
    expect(removed.exitCode, removed.err).toBe(0)
    expect(existsSync(join(repoDir, 'backups', id))).toBe(false)
    expect(existsSync(join(repoDir, 'backups', secondId, 'backup.json'))).toBe(true)
    const walAfter = walFiles(repoDir)
    expect(walAfter).not.toContain(segment)
    // The WAL after the kept backup's start stays: its PITR window.
    expect(walAfter).toContain(after)
    const check = await tidemarkWithEnv(['verify', ...repo, '--backup', secondId], {})
    expect(check.exitCode, check.out + check.err).toBe(0)
  }, 240_000)

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
