// Durable, atomic file creation: a temporary file in the target's directory, fsync, then a hard link
// (never replaces an existing file) or a rename (replaces), then fsync of the directory. The
// temporary file is removed whatever happens.
import { rmSync } from 'node:fs'
import { link, mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { WalIoError } from './errors.js'

export type DurableWriteOutcome = 'written' | 'exists'

export interface DurableWriteOptions {
  /** Leave an existing file alone and report 'exists' (default false: replace it). */
  readonly noClobber?: boolean
  readonly mode?: number
  /** Skip the fsyncs (a prefetch spool PostgreSQL has not been handed yet). */
  readonly sync?: boolean
}

/** Writes chunks to path atomically and durably. */
export async function writeFileDurably(
  path: string,
  chunks: readonly Uint8Array[],
  options: DurableWriteOptions = {}
): Promise<DurableWriteOutcome> {
  return throughTemporaryFile(path, { mode: options.mode ?? 0o640, sync: options.sync ?? true }, (handle) => writeChunks(handle, chunks), (temp) =>
    commitTemporary(temp, path, options.noClobber ?? false, options.sync ?? true)
  )
}

/**
 * Makes a new file beside path (`.<name>.<pid>.<random>.tmp`, see temporaryPath), fills it, fsyncs it
 * when `sync`, closes it and hands it to `commit`. The temporary file is removed whatever happens (it
 * is gone after a commit that renamed or linked it); a failure names path.
 */
export async function throughTemporaryFile<T>(
  path: string,
  options: { readonly mode: number; readonly sync: boolean },
  fill: (handle: FileHandle) => Promise<void>,
  commit: (temp: string) => Promise<T>
): Promise<T> {
  const temp = temporaryPath(path)
  const untrack = trackTemporary(temp)
  try {
    const handle = await open(temp, 'wx', options.mode)
    try {
      await fill(handle)
      if (options.sync) {
        await handle.sync()
      }
    } finally {
      await handle.close()
    }
    return await commit(temp)
  } catch (error) {
    throw ioError(error, `could not write ${path}`)
  } finally {
    await rm(temp, { force: true })
    untrack()
  }
}

/**
 * Puts a written temporary file in place — a hard link that never replaces (noClobber), or a rename
 * — and, when `sync`, fsyncs the directory of a file put there.
 */
export async function commitTemporary(temp: string, path: string, noClobber: boolean, sync: boolean): Promise<DurableWriteOutcome> {
  if (noClobber && !(await linkNoClobber(temp, path))) {
    return 'exists'
  }
  if (!noClobber) {
    await rename(temp, path)
  }
  if (sync) {
    await syncDirectory(dirname(path))
  }
  return 'written'
}

/** Registers a temporary file for removeTemporaryFilesSync; call the result once it is gone. */
function trackTemporary(temp: string): () => void {
  liveTemporaryFiles.add(temp)
  return () => {
    liveTemporaryFiles.delete(temp)
  }
}

/**
 * Writes every chunk (at `position`, when given) with as few writev calls as the kernel allows:
 * FileHandle.writeFile goes through the thread pool 512 kB at a time, 32 round trips for a 16 MB segment.
 */
export async function writeChunks(handle: FileHandle, chunks: readonly Uint8Array[], position?: number): Promise<void> {
  let pending = chunks.filter((chunk) => chunk.byteLength > 0)
  let written = 0
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending as Uint8Array[], position === undefined ? undefined : position + written)
    written += bytesWritten
    let skip = bytesWritten
    const rest: Uint8Array[] = []
    for (const chunk of pending) {
      if (skip >= chunk.byteLength) {
        skip -= chunk.byteLength
      } else {
        rest.push(chunk.subarray(skip))
        skip = 0
      }
    }
    pending = rest
  }
}

/**
 * Reads a whole file in one read where the kernel allows (readFile goes 512 kB per round trip), into
 * `into` when it is large enough: fresh memory for every 16 MB segment costs thousands of page faults.
 */
export async function readWholeFile(path: string, into?: Buffer): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    const buffer = into !== undefined && into.length >= size ? into.subarray(0, size) : Buffer.allocUnsafe(size)
    let filled = 0
    // Archived files are never changed once written: the size read first is the size.
    while (filled < size) {
      const { bytesRead } = await handle.read(buffer, filled, size - filled, filled)
      if (bytesRead === 0) {
        break
      }
      filled += bytesRead
    }
    return buffer.subarray(0, filled)
  } finally {
    await handle.close()
  }
}

/** Temporary files being written right now, for removeTemporaryFilesSync. */
const liveTemporaryFiles = new Set<string>()

/**
 * Removes every temporary file a write in progress made: for signal handlers, which cannot wait
 * for the writes' own cleanup. Returns how many there were.
 */
export function removeTemporaryFilesSync(): number {
  const count = liveTemporaryFiles.size
  for (const temp of liveTemporaryFiles) {
    rmSync(temp, { force: true })
  }
  liveTemporaryFiles.clear()
  return count
}

/**
 * `.<name>.<pid>.<random>.tmp` beside path: hidden, unique, never a WAL name. (Math.random, not
 * node:crypto, which costs start-up time; the file is opened exclusively anyway.)
 */
export function temporaryPath(path: string): string {
  const random = Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0')
  return join(dirname(path), `.${basename(path)}.${process.pid}.${random}.tmp`)
}

/** Creates dir (and parents), fsyncing each parent whose entries changed. */
export async function makeDirectoryDurably(dir: string, mode = 0o750): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode })
  if (created === undefined) {
    return
  }
  // mkdir returns the first directory it created: sync it and every parent up to the one that existed.
  let current = dir
  while (current.length >= created.length) {
    await syncDirectory(dirname(current))
    current = dirname(current)
  }
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

async function linkNoClobber(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') {
      return false
    }
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
      // A filesystem without hard links: check, then rename (a narrow race other writers must not hit).
      if (await exists(to)) {
        return false
      }
      await rename(from, to)
      return true
    }
    throw error
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

/** Wraps an I/O failure once (errors of this package pass through). */
export function ioError(error: unknown, what: string): Error {
  if (error instanceof Error && 'exitCode' in error) {
    return error
  }
  const code = (error as NodeJS.ErrnoException).code
  return new WalIoError(`${what}: ${code ? `${code} ` : ''}${(error as Error).message}`, { cause: error })
}
