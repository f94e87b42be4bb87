import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** True while pid names a running process (a zombie counts as gone). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The pid of the postmaster that owns dataDir, if postmaster.pid names a live process. A stale
 * file left by a crash names a dead pid (or nothing) and returns undefined.
 */
export async function runningPostmasterPid(dataDir: string): Promise<number | undefined> {
  let text: string
  try {
    text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8')
  } catch {
    return undefined
  }
  const pid = Number(text.split('\n')[0]?.trim())
  if (!Number.isInteger(pid) || pid <= 0 || !processIsAlive(pid)) {
    return undefined
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) {
      return undefined
    }
  } catch {
    // no /proc: trust kill(0)
  }
  return pid
}
