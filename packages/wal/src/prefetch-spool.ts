// The restore_command look-ahead: the next N segments are fetched (checked) in the background into a
// spool directory beside %p (pg_wal/.tidemark-prefetch), so the next get is a rename. The spool
// holds at most the N segments after the one last asked for; everything else in it is removed.
import { existsSync } from 'node:fs'
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { syncDirectory, writeFileDurably } from './durable-file.js'
import { WalNotFoundError } from './errors.js'
import { copyOutIfUncompressed, fetchWalBytes } from './get-wal.js'
import { nextSegmentFileName } from './segment.js'
import { isSegmentFileName } from './wal-file-name.js'
import type { WalRepository } from './wal-repository.js'

export const SPOOL_DIR_NAME = '.tidemark-prefetch'
const LOCK_NAME = 'lock'
/** The last segment restore_command had to fetch itself (the spool did not have it). */
export const WANTED_NAME = 'wanted'
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
    } else if (name === LOCK_NAME || name === WANTED_NAME) {
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

/** Keep the spool filled after the first names, as recovery takes segments out of it. */
export interface FollowOptions {
  /** Segments to keep in the spool (restore_command's --prefetch). */
  readonly depth: number
  readonly segmentSize: number
  /** Give up after this long without recovery taking a segment (default 30 s). */
  readonly idleMs?: number
  /** How often the spool is looked at (default 10 ms). */
  readonly pollMs?: number
}

/**
 * Fetches names into the spool in order, stopping at the first one the repository does not have
 * (the end of the archive). With follow, it then stays ahead of recovery: whenever the spool holds
 * fewer than depth segments it fetches the next one, so restore_command finds each segment already
 * there — until the end of the archive, the spool's removal, a timeline switch (restore_command
 * asking for a segment of another timeline) or idleMs without progress. One prefetcher per spool:
 * a live holder of the lock makes this a no-op. Returns the names fetched.
 */
export async function fillSpool(
  repository: WalRepository,
  spool: string,
  names: readonly string[],
  follow?: FollowOptions
): Promise<string[]> {
  const lock = join(spool, LOCK_NAME)
  // The spool is made by restore_command before it starts us; once removed (recovery ended) a late
  // prefetcher must not bring it back, so a missing spool ends the prefetch.
  if (!(await takeLock(lock).catch(ignoreMissing))) {
    return []
  }
  const fetched: string[] = []
  try {
    if (!(await fetchInParallel(repository, spool, names, fetched))) {
      return fetched
    }
    const last = names.at(-1)
    if (follow && last !== undefined) {
      await followRecovery(repository, spool, last, follow, fetched)
    }
  } finally {
    await rm(lock, { force: true })
  }
  return fetched
}

/**
 * Segments fetched at once: reading, checking (sha256) and writing a segment is CPU and I/O, and two
 * overlap on two cores — the look-ahead has to outrun a recovery that replays fast.
 */
const PARALLEL_FETCHES = 2

/** Fetches names, PARALLEL_FETCHES at a time, in order; false once one is missing or the spool is gone. */
async function fetchInParallel(repository: WalRepository, spool: string, names: readonly string[], fetched: string[]): Promise<boolean> {
  for (let start = 0; start < names.length; start += PARALLEL_FETCHES) {
    const batch = names.slice(start, start + PARALLEL_FETCHES)
    const stored = await Promise.all(batch.map((name, slot) => fetchIntoSpool(repository, spool, name, slot)))
    for (const [index, name] of batch.entries()) {
      if (!stored[index]) {
        return false
      }
      fetched.push(name)
    }
  }
  return true
}

/**
 * One read buffer per parallel fetch, reused for every segment read whole (compressed, or from object
 * storage; a segment and its header line fit): fresh memory for each 16 MB segment cost more in page
 * faults than the copy itself. Allocated on first use: copyOut needs none.
 */
const slotBuffers: Buffer[] = []
const SLOT_BYTES = 16 * 1024 * 1024 + 4096

function slotBuffer(slot: number): Buffer {
  slotBuffers[slot] ??= Buffer.allocUnsafeSlow(SLOT_BYTES)
  return slotBuffers[slot]
}

/**
 * Fetches one segment into the spool; false at the end of the archive or when the spool is gone.
 * `slot`: which parallel fetch this is, whose read buffer a file that must be read whole goes into.
 */
async function fetchIntoSpool(repository: WalRepository, spool: string, name: string, slot: number): Promise<boolean> {
  try {
    // Not yet handed to PostgreSQL: no fsync (restore_command's rename out of the spool syncs).
    if ((await copyOutIfUncompressed(repository, name, join(spool, name), false)) !== undefined) {
      return true
    }
    const bytes = await fetchWalBytes(repository, name, slotBuffer(slot))
    await writeFileDurably(join(spool, name), [bytes], { sync: false, mode: 0o600 })
  } catch (error) {
    if (error instanceof WalNotFoundError) {
      return false
    }
    if (!existsSync(spool)) {
      return false
    }
    throw error
  }
  return true
}

async function followRecovery(repository: WalRepository, spool: string, last: string, follow: FollowOptions, fetched: string[]): Promise<void> {
  const idleMs = follow.idleMs ?? 30_000
  const pollMs = follow.pollMs ?? 10
  let cursor = last
  let progressAt = Date.now()
  let held = Number.POSITIVE_INFINITY
  for (;;) {
    let entries: string[]
    try {
      entries = await readdir(spool)
    } catch {
      return
    }
    const wanted = entries.includes(WANTED_NAME) ? (await readFile(join(spool, WANTED_NAME), 'utf8').catch(() => '')).trim() : ''
    if (isSegmentFileName(wanted)) {
      if (wanted.slice(0, 8) !== cursor.slice(0, 8)) {
        // Recovery moved to another timeline: a prefetcher started for it takes over.
        return
      }
      if (wanted > cursor) {
        // Recovery overtook the look-ahead (it fetched wanted itself): go on after it.
        cursor = wanted
      }
    }
    const segments = entries.filter(isSegmentFileName).length
    if (segments < held) {
      progressAt = Date.now()
    }
    held = segments
    if (segments < follow.depth) {
      const next: string[] = []
      for (let name = cursor; next.length < Math.min(PARALLEL_FETCHES, follow.depth - segments); ) {
        name = nextSegmentFileName(name, follow.segmentSize)
        next.push(name)
      }
      if (!(await fetchInParallel(repository, spool, next, fetched))) {
        return
      }
      cursor = next.at(-1) ?? cursor
      held += next.length
      continue
    }
    if (Date.now() - progressAt > idleMs) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}

/** Notes the segment restore_command fetched itself, for a following prefetcher (best effort). */
export async function noteWanted(spool: string, fileName: string): Promise<void> {
  if (existsSync(spool)) {
    await writeFileDurably(join(spool, WANTED_NAME), [Buffer.from(`${fileName}\n`)], { sync: false, mode: 0o600 }).catch(() => undefined)
  }
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

/** Creates the lock for `pid`; false when it exists (whoever holds it). */
async function createLock(lock: string, pid: number): Promise<boolean> {
  try {
    const handle = await open(lock, 'wx', 0o600)
    await handle.writeFile(String(pid))
    await handle.close()
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error
    }
    return false
  }
}

async function lockHolder(lock: string): Promise<number> {
  return Number(await readFile(lock, 'utf8').catch(() => ''))
}

/**
 * Takes the spool's lock for this process. restore_command may have taken it already on this
 * process's behalf (claimSpoolLock, right after starting it): then it is ours.
 */
async function takeLock(lock: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (await createLock(lock, process.pid)) {
      return true
    }
    const holder = await lockHolder(lock)
    if (holder === process.pid) {
      return true
    }
    if (holder > 0 && isAlive(holder)) {
      return false
    }
    await rm(lock, { force: true })
  }
  return false
}

/** Whether a live prefetcher holds the spool (it follows recovery: another would only exit again). */
export async function livePrefetcher(spool: string): Promise<boolean> {
  const holder = await lockHolder(join(spool, LOCK_NAME))
  return holder > 0 && isAlive(holder)
}

/**
 * Takes the spool's lock for a prefetcher just started (best effort): from now on restore_command's
 * shell fast path waits for it instead of starting Node.js, while it is still starting.
 */
export async function claimSpoolLock(spool: string, pid: number): Promise<void> {
  await createLock(join(spool, LOCK_NAME), pid).catch(() => false)
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
