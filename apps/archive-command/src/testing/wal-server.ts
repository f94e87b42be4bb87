// Helpers for the integration tests: the bundled bin, a repository the server's OS user can write,
// and waiting for the archiver.
import { execFile, execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { chownTree, scratchDir, serverOsUser, type Cluster } from '@tidemark/test-fixtures'

export const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url))
export const BIN = fileURLToPath(new URL('../../bin/tidemark-wal.js', import.meta.url))

/** Bundles dist/main.js from the current sources (esbuild only, a fraction of a second). */
export function buildBundle(): void {
  execFileSync(process.execPath, ['build.mjs'], { cwd: PACKAGE_DIR, stdio: 'pipe' })
}

/** The command line PostgreSQL runs: absolute node and bin, so the server's PATH does not matter. */
export function walCommand(args: readonly string[]): string {
  return [process.execPath, BIN, ...args].join(' ')
}

/** A fresh, empty repository directory owned by the server's OS user. */
export function serverRepo(prefix = 'wal-repo'): string {
  const dir = scratchDir(prefix)
  chownTree(dir, serverOsUser())
  return dir
}

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs the bundled tidemark-wal as a child process. */
export function runBin(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

/** pg_walfile_name(lsn) on the server. */
export async function walFileName(cluster: Cluster, lsn: string): Promise<string> {
  const [row] = await cluster.query<{ name: string }>(`SELECT pg_walfile_name($1::pg_lsn) AS name`, [lsn])
  return row?.name ?? ''
}

export interface ArchiverStats {
  readonly archived_count: string
  readonly failed_count: string
  readonly last_archived_wal: string | null
  readonly last_failed_wal: string | null
}

/** Waits until the archiver has archived segment (or something later), failing at once on a failure. */
export async function waitArchived(cluster: Cluster, segment: string, timeoutMs = 60_000): Promise<ArchiverStats> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [stats] = await cluster.query<ArchiverStats & Record<string, unknown>>(
      `SELECT archived_count::text, failed_count::text, last_archived_wal, last_failed_wal FROM pg_stat_archiver`
    )
    if (!stats) {
      throw new Error('pg_stat_archiver returned no row')
    }
    if (stats.failed_count !== '0') {
      throw new Error(`archive_command failed on ${stats.last_failed_wal}:\n${cluster.logTail()}`)
    }
    if (stats.last_archived_wal && stats.last_archived_wal.slice(0, 24) >= segment) {
      return stats
    }
    if (Date.now() > deadline) {
      throw new Error(`${segment} was not archived in ${timeoutMs} ms (last ${stats.last_archived_wal}):\n${cluster.logTail()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Polls until fn is true. */
export async function waitFor(what: string, fn: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await fn())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** The server's system identifier (pg_control_system). */
export async function systemIdentifier(cluster: Cluster): Promise<string> {
  const [row] = await cluster.query<{ id: string }>(`SELECT system_identifier::text AS id FROM pg_control_system()`)
  return row?.id ?? ''
}
