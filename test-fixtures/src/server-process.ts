import { spawn } from 'node:child_process'
import { chownSync, lstatSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { OsUser } from './os-user.js'

export interface CommandResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs a PostgreSQL binary as the server's OS user (postgres refuses root) and collects its output. */
export async function runAs(
  user: OsUser,
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? '/',
      env: { ...process.env, ...options.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user.switched ? { uid: user.uid, gid: user.gid } : {}),
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr })
    })
  })
}

/** Runs a command and throws with its stderr when it fails. */
export async function runAsOrThrow(
  user: OsUser,
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}
): Promise<CommandResult> {
  const result = await runAs(user, command, args, options)
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`)
  }
  return result
}

/** Gives a tree to the server's OS user (a restored backup written by root, say). */
export function chownTree(path: string, user: OsUser): void {
  if (!user.switched) {
    return
  }
  const stat = lstatSync(path)
  // lchown semantics: links are re-owned, never followed out of the tree.
  chownSync(path, user.uid, user.gid)
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path)) {
      chownTree(join(path, entry), user)
    }
  }
}
