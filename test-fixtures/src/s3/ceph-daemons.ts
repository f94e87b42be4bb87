// The cluster's processes: started detached with their output in DIR/log, their pids recorded in
// DIR/run/<name>.pid, so stop() — or the run-wide sweep after a crash — can find and end them.
import { execFile, spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isProcessAlive } from '../run-dir.js'

export type DaemonName = 'mon' | 'osd' | 'rgw'

/** The marker file of a cluster directory (the sweep looks for it). */
export const CLUSTER_MARKER = 'ceph.conf'
const STOP_ORDER: readonly DaemonName[] = ['rgw', 'osd', 'mon']

/** Starts a daemon in the foreground of its own session, detached from the test process. */
export function startDaemon(dir: string, name: DaemonName, command: string, args: readonly string[]): number {
  const out = openSync(join(dir, 'log', `${name}.out`), 'a')
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out], cwd: dir })
    child.unref()
    if (child.pid === undefined) {
      throw new Error(`could not start ${command}`)
    }
    writeFileSync(join(dir, 'run', `${name}.pid`), `${child.pid}\n`)
    return child.pid
  } finally {
    closeSync(out)
  }
}

/** Runs a setup command to its end and throws with its output when it fails. */
export function runCommand(command: string, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${command} ${args.slice(0, 3).join(' ')}… failed: ${stderr.trim() || stdout.trim() || error.message}`))
      } else {
        resolve(stdout)
      }
    })
  })
}

function recordedPids(dir: string): { name: DaemonName; pid: number }[] {
  const found: { name: DaemonName; pid: number }[] = []
  for (const name of STOP_ORDER) {
    const file = join(dir, 'run', `${name}.pid`)
    if (existsSync(file)) {
      const pid = Number(readFileSync(file, 'utf8').trim())
      if (Number.isInteger(pid) && pid > 0) {
        found.push({ name, pid })
      }
    }
  }
  return found
}

/**
 * Ends the cluster's daemons: radosgw and the mon get SIGTERM, the osd SIGKILL (on SIGTERM it waits
 * for a mon ack); anything alive after 5 s gets SIGKILL. Returns how many were running.
 */
export async function stopDaemons(dir: string): Promise<number> {
  const live = recordedPids(dir).filter(({ pid }) => isProcessAlive(pid))
  for (const { name, pid } of live) {
    signal(pid, name === 'osd' ? 'SIGKILL' : 'SIGTERM')
  }
  const deadline = Date.now() + 5_000
  while (live.some(({ pid }) => isProcessAlive(pid)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  for (const { pid } of live) {
    if (isProcessAlive(pid)) {
      signal(pid, 'SIGKILL')
    }
  }
  for (const { name } of recordedPids(dir)) {
    rmSync(join(dir, 'run', `${name}.pid`), { force: true })
  }
  return live.length
}

/** SIGKILLs the daemons at once: for process-exit handlers, which cannot wait. */
export function killDaemonsSync(dir: string): void {
  for (const { pid } of recordedPids(dir)) {
    if (isProcessAlive(pid)) {
      signal(pid, 'SIGKILL')
    }
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // already gone
  }
}

/** Cluster directories under dir (a ceph.conf beside a run/ directory), to the given depth. */
export function findClusterDirs(dir: string, depth: number, found: string[] = []): string[] {
  if (depth < 0 || !existsSync(dir)) {
    return found
  }
  if (existsSync(join(dir, CLUSTER_MARKER)) && existsSync(join(dir, 'run'))) {
    found.push(dir)
    return found
  }
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    try {
      if (statSync(path).isDirectory()) {
        findClusterDirs(path, depth - 1, found)
      }
    } catch {
      // vanished: nothing of ours
    }
  }
  return found
}
