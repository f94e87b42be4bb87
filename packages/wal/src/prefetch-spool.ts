// The restore_command look-ahead: the next N segments are fetched (checked) in the background into a
// spool directory beside %p (pg_wal/.tidemark-prefetch), so the next get is a rename. The spool
// holds at most the N segments after the one last asked for; everything else in it is removed.
import { existsSync } from 'node:fs'
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { syncDirectory, writeFileDurably } from './durable-file.js'
import { WalNotFoundError } from './errors.js'
import { fetchWalBytes } from './get-wal.js'
import { nextSegmentFileName } from './segment.js'
import { isSegmentFileName } from './wal-file-name.js'
import type { WalRepository } from './wal-repository.js'

export const SPOOL_DIR_NAME = '.tidemark-prefetch'
const LOCK_NAME = 'lock'
/** A temporary file older than this is a leftover of a killed prefetcher. */
const STALE_TEMP_MS = 10 * 60 * 1000

/** The spool directory for a restore_command target path (%p). */
export function spoolDirectory(targetPath: string): string {
  return join(dirname(resolve(targetPath)), SPOOL_DIR_NAME)
}

/** The n segments after fileName. */
export function prefetchWindow(fileName: string, count: number, segmentSize: number): string[] {
  const names: string[] = []
  let name = fileName
  for (let i = 0; i < count; i += 1) {
    name = nextSegmentFileName(name, segmentSize)
    names.push(name)
  }
  return names
}

/** Moves fileName from the spool to targetPath if the spool has it; true when it did. */
export async function takeFromSpool(spool: string, fileName: string, targetPath: string): Promise<boolean> {
  if (!isSegmentFileName(fileName)) {
    return false
  }
  try {
    await rename(join(spool, fileName), targetPath)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return false
    }
    throw error
  }
  await syncDirectory(dirname(resolve(targetPath)))
  return true
}

/**
 * Removes from the spool every file outside window (and temporaries of dead prefetchers) and
 * returns the window's names the spool does not hold yet.
 */
export async function pruneSpool(spool: string, window: readonly string[]): Promise<string[]> {
  const keep = new Set(window)
  const present = new Set<string>()
  let names: string[]
  try {
    names = await readdir(spool)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [...window]
    }
    throw error
  }
  for (const name of names) {
    const path = join(spool, name)
    if (keep.has(name)) {
      present.add(name)
    } else if (name === LOCK_NAME) {
      continue
    } else if (name.endsWith('.tmp')) {
      const info = await stat(path).catch(() => undefined)
      if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) {
        await rm(path, { force: true })
      }
    } else {
      await rm(path, { force: true, recursive: true })
    }
  }
  return window.filter((name) => !present.has(name))
}

/**
 * Fetches names into the spool in order, stopping at the first one the repository does not have
 * (the end of the archive). One prefetcher per spool: a live holder of the lock makes this a no-op.
 * Returns the names fetched.
 */
export async function fillSpool(repository: WalRepository, spool: string, names: readonly string[]): Promise<string[]> {
  const lock = join(spool, LOCK_NAME)
  // The spool is made by restore_command before it starts us; once removed (recovery ended) a late
  // prefetcher must not bring it back, so a missing spool ends the prefetch.
  if (!(await takeLock(lock).catch(ignoreMissing))) {
    return []
  }
  const fetched: string[] = []
  try {
    for (const name of names) {
      let bytes: Buffer
      try {
        bytes = await fetchWalBytes(repository, name)
      } catch (error) {
        if (error instanceof WalNotFoundError) {
          break
        }
        throw error
      }
      try {
        await writeFileDurably(join(spool, name), [bytes], { sync: false, mode: 0o600 })
      } catch (error) {
        if (!existsSync(spool)) {
          break
        }
        throw error
      }
      fetched.push(name)
    }
  } finally {
    await rm(lock, { force: true })
  }
  return fetched
}

/** Makes the spool directory (restore_command does, before it starts a prefetcher). */
export async function makeSpool(spool: string): Promise<void> {
  await mkdir(spool, { recursive: true, mode: 0o700 })
}

function ignoreMissing(error: unknown): false {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    return false
  }
  throw error
}

async function takeLock(lock: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lock, 'wx', 0o600)
      await handle.writeFile(String(process.pid))
      await handle.close()
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error
      }
      const holder = Number(await readFile(lock, 'utf8').catch(() => ''))
      if (holder > 0 && isAlive(holder)) {
        return false
      }
      await rm(lock, { force: true })
    }
  }
  return false
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Removes the spool entirely: when recovery ends (PostgreSQL asks for a history file), or to reset it. */
export async function removeSpool(spool: string): Promise<void> {
  await rm(spool, { recursive: true, force: true })
}
