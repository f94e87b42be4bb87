import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Set by the integration global setup: every directory a fixture makes in this run lives under it. */
export const RUN_DIR_ENV = 'TIDEMARK_FIXTURE_DIR'

let ownRunDir: string | undefined

/** The directory of this test run, made world-traversable so the server's OS user can reach its clusters. */
export function runDir(): string {
  const fromEnv = process.env[RUN_DIR_ENV]
  if (fromEnv) {
    mkdirSync(fromEnv, { recursive: true, mode: 0o755 })
    return fromEnv
  }
  if (!ownRunDir) {
    ownRunDir = createRunDir()
    process.env[RUN_DIR_ENV] = ownRunDir
  }
  return ownRunDir
}

export function createRunDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-fixtures-'))
  chmodSync(dir, 0o755)
  return dir
}

/** A fresh directory under the run directory, traversable by the server's OS user. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(runDir(), `${prefix}-`))
  chmodSync(dir, 0o755)
  return dir
}

/** True while pid runs; a zombie (exited, not yet reaped by a PID 1 that never reaps) counts as gone. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

/** The postmaster pid recorded in a data directory, if a live process has it. */
export function livePostmasterPid(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postmaster.pid')
  if (!existsSync(pidFile)) {
    return undefined
  }
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
  return Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? pid : undefined
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) {
      return true
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return !isProcessAlive(pid)
}

/** Stops a postmaster at once (SIGQUIT: immediate shutdown, children included), SIGKILL if it lingers. */
export async function killPostmaster(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGQUIT')
  } catch {
    return
  }
  if (!(await waitForExit(pid, 10_000))) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
    await waitForExit(pid, 5_000)
  }
}

function findDataDirs(dir: string, depth: number, found: string[]): string[] {
  if (depth < 0 || !existsSync(dir)) {
    return found
  }
  if (existsSync(join(dir, 'postmaster.pid'))) {
    found.push(dir)
  }
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    try {
      if (statSync(path).isDirectory()) {
        findDataDirs(path, depth - 1, found)
      }
    } catch {
      // vanished or unreadable: nothing of ours
    }
  }
  return found
}

/** Stops every server left running under dir and removes dir: the safety net after crashed or interrupted tests. */
export async function sweepRunDir(dir: string): Promise<{ stopped: number }> {
  let stopped = 0
  for (const dataDir of findDataDirs(dir, 4, [])) {
    const pid = livePostmasterPid(dataDir)
    if (pid) {
      await killPostmaster(pid)
      stopped += 1
    }
  }
  rmSync(dir, { recursive: true, force: true })
  return { stopped }
}
