import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const appDir = fileURLToPath(new URL('../..', import.meta.url))
export const TIDEMARK_BIN = `${appDir}bin/tidemark.js`

/** Builds the CLI once when its dist is missing (integration tests run the real binary). */
export function ensureBuilt(): void {
  if (!existsSync(`${appDir}dist/main.js`)) {
    execFileSync('npx', ['--yes', 'pnpm@10.34.8', 'run', 'build'], { cwd: appDir, stdio: 'ignore' })
  }
}

export interface RunningCli {
  readonly child: ChildProcess
  readonly stderr: () => string
  readonly stdout: () => string
  /** Highest resident set (VmHWM) seen so far, in bytes. */
  readonly peakRss: () => number
  readonly exit: Promise<number>
}

function vmHwm(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** Runs `tidemark ARGS` as a child process, collecting output and its peak memory. */
export function runTidemark(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, [TIDEMARK_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  let peak = 0
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const poll = setInterval(() => {
    if (child.pid) {
      peak = Math.max(peak, vmHwm(child.pid))
    }
  }, 100)
  const exit = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => {
      clearInterval(poll)
      resolve(code ?? (signal ? 128 : -1))
    })
  })
  return { child, stderr: () => err, stdout: () => out, peakRss: () => peak, exit }
}
