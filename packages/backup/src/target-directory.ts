import { mkdir, readdir, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { CleanupTracker } from './cleanup-tracker.js'
import { BackupUsageError, TargetNotEmptyError } from './errors.js'

async function statOrUndefined(path: string): Promise<Awaited<ReturnType<typeof stat>> | undefined> {
  try {
    return await stat(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined
    }
    throw error
  }
}

/** The highest ancestor of path that does not exist yet: what `mkdir -p` would create first. */
async function firstMissingAncestor(path: string): Promise<string> {
  let current = path
  while (dirname(current) !== current && !(await statOrUndefined(dirname(current)))) {
    current = dirname(current)
  }
  return current
}

/**
 * Checks a directory the run will write into, without changing anything: it must be missing, or an
 * empty directory. Returns what prepare() will do.
 */
export async function checkTargetDirectory(path: string, what = 'directory'): Promise<'create' | 'fill'> {
  const absolute = resolve(path)
  const info = await statOrUndefined(absolute)
  if (!info) {
    return 'create'
  }
  if (!info.isDirectory()) {
    throw new BackupUsageError(`${what} "${absolute}" exists and is not a directory`)
  }
  if ((await readdir(absolute)).length > 0) {
    throw new TargetNotEmptyError(absolute, what)
  }
  return 'fill'
}

/** Creates (mode 0700) or adopts an empty target directory and records it for cleanup on failure. */
export async function prepareTargetDirectory(path: string, tracker: CleanupTracker, what = 'directory'): Promise<string> {
  const absolute = resolve(path)
  if ((await checkTargetDirectory(absolute, what)) === 'fill') {
    tracker.filled(absolute)
    return absolute
  }
  const topCreated = await firstMissingAncestor(absolute)
  await mkdir(absolute, { recursive: true, mode: 0o700 })
  tracker.created(topCreated)
  return absolute
}
