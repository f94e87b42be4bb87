import { spawn } from 'node:child_process'
import type { OsUser } from '@tidemark/test-fixtures'

export const GNU_TIME = '/usr/bin/time'
const RSS_MARK = 'tidemark-bench-maxrss-kb='

export interface TimedRun {
  readonly ok: boolean
  /** Wall-clock seconds from spawn to exit. */
  readonly seconds: number
  /** ru_maxrss of the largest process the command ran and waited for (GNU time %M), KiB. */
  readonly peakKb: number | undefined
  /** The last meaningful line of stderr (or stdout) when the command failed. */
  readonly reason: string
}

export interface TimedOptions {
  readonly user: OsUser
  readonly env: NodeJS.ProcessEnv
  readonly cwd: string
  readonly timeoutMs: number
  /** Measure peak memory through GNU time (absent when it is not installed). */
  readonly gnuTime: boolean
}

const TAIL = 8192

/** The maxrss GNU time wrote, and stderr without that line and without time's own exit-status line. */
export function splitTimeOutput(stderr: string): { peakKb: number | undefined; rest: string } {
  let peakKb: number | undefined
  const rest: string[] = []
  for (const line of stderr.split('\n')) {
    if (line.startsWith(RSS_MARK)) {
      const value = Number(line.slice(RSS_MARK.length))
      peakKb = Number.isFinite(value) ? value : undefined
    } else if (!/^Command (exited with non-zero status|terminated by signal) \d+$/.test(line.trim())) {
      rest.push(line)
    }
  }
  return { peakKb, rest: rest.join('\n') }
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '')
  return lines.at(-1) ?? ''
}

/** Runs one command line through /bin/sh (as PostgreSQL runs archive_command), timed, as the server's OS user. */
export function runTimed(commandLine: string, options: TimedOptions): Promise<TimedRun> {
  const argv = options.gnuTime
    ? [GNU_TIME, '-f', `${RSS_MARK}%M`, '/bin/sh', '-c', commandLine]
    : ['/bin/sh', '-c', commandLine]
  return new Promise((resolve) => {
    const started = process.hrtime.bigint()
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.user.switched ? { uid: options.user.uid, gid: options.user.gid } : {}),
    })
    let stdout = ''
    let stderr = ''
    // Both pipes are drained as they come (the child must never block on a full pipe); only tails are kept.
    child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-TAIL)))
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-TAIL)))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs)
    let settled = false
    const finish = (code: number | null, spawnError?: Error): void => {
      if (settled) {
        return
      }
      settled = true
      clearTimeout(timer)
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const { peakKb, rest } = splitTimeOutput(stderr)
      const ok = code === 0 && spawnError === undefined && !timedOut
      let reason = ''
      if (!ok) {
        reason = spawnError?.message ?? (timedOut ? `timed out after ${options.timeoutMs / 1000} s` : lastLine(rest) || lastLine(stdout) || `exit ${code}`)
        if (code !== null && code !== 0 && !reason.includes(`exit ${code}`)) {
          reason = `exit ${code}: ${reason}`
        }
      }
      resolve({ ok, seconds, peakKb, reason })
    }
    child.on('error', (error) => finish(null, error))
    child.on('close', (code) => finish(code))
  })
}
