import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { debianBinDir } from './pg-binaries.js'

/** The major of Debian's PostgreSQL packages on this machine (bookworm ships 15). */
export const DEBIAN_MAJOR = 15

export type DebianTool = 'psql' | 'pgbench' | 'pg_basebackup' | 'pg_verifybackup' | 'pg_waldump' | 'pg_ctl' | 'initdb' | 'postgres'

let installTried = false

/**
 * The path of one of Debian's PostgreSQL tools, installing `postgresql` with apt-get when missing
 * and running as root. Undefined when it cannot be had; the caller skips with a visible reason.
 */
export function debianTool(tool: DebianTool): string | undefined {
  const path = join(debianBinDir(DEBIAN_MAJOR), tool)
  if (existsSync(path)) {
    return path
  }
  if (!installTried && process.getuid?.() === 0) {
    installTried = true
    try {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
      execFileSync('apt-get', ['update'], { stdio: 'pipe', env, timeout: 300_000 })
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', `postgresql-${DEBIAN_MAJOR}`, `postgresql-client-${DEBIAN_MAJOR}`],
        { stdio: 'pipe', env, timeout: 600_000 })
    } catch (error) {
      console.warn(`test-fixtures: could not install Debian's PostgreSQL ${DEBIAN_MAJOR}: ${(error as Error).message.split('\n')[0]}`)
    }
  }
  return existsSync(path) ? path : undefined
}

/** A visible reason for a skipped comparison: never skip silently. */
export function missingToolMessage(tool: DebianTool): string {
  return `skipped: Debian's ${tool} (PostgreSQL ${DEBIAN_MAJOR}) is not installed and could not be installed here`
}
