// Extracting tar entries into a directory, safely and durably: no entry may write outside the
// target or the allowed roots (tablespace locations) — absolute names, '..', and paths through
// links that lead elsewhere are refused; nothing that exists is overwritten; files keep their
// modes (and mtimes), directories are 0700; every file is fsynced (large ones as they are closed,
// small ones in the background right after) and every directory written into is fsynced at the end.
import { closeSync, constants, fchmodSync, futimesSync, openSync } from 'node:fs'
import { link, lstat, mkdir, open, readlink, realpath, symlink, type FileHandle } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { isInsideAny, safeEntryParts } from './entry-path.js'
import { ExtractConflictError, UnsafeEntryError } from './errors.js'
import type { TarEntry, TarHeader } from './tar-entry.js'
import { writevFully, writevFullySync } from './write-fully.js'

export interface ExtractOptions {
  /** The archive's name in messages. */
  readonly archive?: string
  /** Directories outside the target that links may lead into (tablespace locations). */
  readonly allowedRoots?: readonly string[]
  /** fsync files and directories. Default true. */
  readonly sync?: boolean
  /**
   * Give files the archive's modification times. Default true; pg_basebackup's plain format does not
   * (one round trip less per file).
   */
  readonly preserveTimes?: boolean
  /** Called before each entry is written (progress, logging). */
  readonly onEntry?: (header: TarHeader) => void
  /**
   * Rewrites an entry before it is written: rename it, point a tablespace link at its -T location,
   * turn a pg_wal link into a directory; null skips the entry. The result is checked like any entry.
   */
  readonly rewrite?: (header: TarHeader) => TarHeader | null
}

export interface ExtractResult {
  files: number
  directories: number
  symlinks: number
  hardLinks: number
  /** Devices, FIFOs and unknown types are skipped. */
  skipped: number
  bytes: number
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_NOFOLLOW)
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

async function fsyncDirectory(path: string): Promise<void> {
  const handle = await open(path, constants.O_RDONLY | constants.O_DIRECTORY)
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** The mode files are created with, before their own is set. */
const FILE_CREATE_MODE = 0o600

/** Files up to this size are read whole and written in the background. */
const SMALL_FILE = 256 * 1024
/** Background writes at once: small files in flight hold at most 16 × 256 kB. */
const BACKGROUND_WRITES = 16

/** A small body's pieces, as they come (no copy: they are written with one writev). */
async function readChunks(body: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = []
  for await (const chunk of body) {
    chunks.push(chunk)
  }
  return chunks
}

/** Bytes gathered before one writev: big enough to amortise a thread-pool round trip per write. */
const WRITE_BATCH = 1024 * 1024

/**
 * Writes a body in batches of about 1 MiB, each writev overlapping the gathering of the next one
 * (at most two batches in memory): one write per 32 kB chunk would wait on the disk for each.
 */
async function writeBatched(handle: FileHandle, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, onBytes: (bytes: number) => void): Promise<void> {
  let batch: Uint8Array[] = []
  let batched = 0
  let inFlight: Promise<unknown> = Promise.resolve()
  const flush = async (): Promise<void> => {
    await inFlight
    const buffers = batch
    batch = []
    batched = 0
    inFlight = buffers.length > 0 ? writevFully(handle, buffers) : Promise.resolve()
  }
  try {
    for await (const chunk of body) {
      batch.push(chunk)
      batched += chunk.length
      onBytes(chunk.length)
      if (batched >= WRITE_BATCH) {
        await flush()
      }
    }
    await flush()
  } finally {
    await inFlight
  }
}


class Extractor {
  readonly #archive: string
  readonly #roots: string[]
  readonly #sync: boolean
  readonly #preserveTimes: boolean
  /** Relative directory path → its real path, for directories created or checked already. */
  readonly #dirs = new Map<string, string>()
  readonly #touched = new Set<string>()
  readonly #pending = new Set<Promise<void>>()
  #failure: Error | undefined
  readonly result: ExtractResult = { files: 0, directories: 0, symlinks: 0, hardLinks: 0, skipped: 0, bytes: 0 }

  constructor(
    readonly target: string,
    roots: string[],
    options: ExtractOptions
  ) {
    this.#archive = options.archive ?? 'archive'
    this.#roots = roots
    this.#sync = options.sync ?? true
    this.#preserveTimes = options.preserveTimes ?? true
    this.#dirs.set('', target)
  }

  #refuse(name: string, reason: string): UnsafeEntryError {
    return new UnsafeEntryError(this.#archive, name, reason)
  }

  /** The real path of the directory `parts` (created 0700 where missing), checked to stay inside. */
  async #directory(parts: string[], entryName: string): Promise<string> {
    let relative = ''
    let current = this.target
    for (const part of parts) {
      relative = relative ? `${relative}/${part}` : part
      const known = this.#dirs.get(relative)
      if (known !== undefined) {
        current = known
        continue
      }
      const path = join(current, part)
      let stat
      try {
        stat = await lstat(path)
      } catch (error) {
        if (errno(error) !== 'ENOENT') {
          throw error
        }
      }
      if (!stat) {
        await mkdir(path, { mode: 0o700 })
        this.#touched.add(current)
        this.#touched.add(path)
        this.result.directories++
        current = path
      } else if (stat.isSymbolicLink()) {
        current = await this.#throughLink(path, relative, entryName)
      } else if (stat.isDirectory()) {
        current = path
      } else {
        throw new ExtractConflictError(path)
      }
      this.#dirs.set(relative, current)
    }
    return current
  }

  async #throughLink(path: string, relative: string, entryName: string): Promise<string> {
    let real: string
    try {
      real = await realpath(path)
    } catch {
      throw this.#refuse(entryName, `"${relative}" is a link to "${await readlink(path)}", which does not exist`)
    }
    if (!isInsideAny(real, this.#roots)) {
      throw this.#refuse(entryName, `"${relative}" is a link leading outside the target directory (to "${real}")`)
    }
    const stat = await lstat(real)
    if (!stat.isDirectory()) {
      throw new ExtractConflictError(path)
    }
    return real
  }

  async entry({ header, body }: TarEntry): Promise<void> {
    const checked = safeEntryParts(header.name)
    if ('refused' in checked) {
      throw this.#refuse(header.name, checked.refused)
    }
    const parts = checked.parts
    if (header.type === 'directory') {
      await this.#directory(parts, header.name)
      return
    }
    const last = parts.at(-1)
    if (last === undefined) {
      throw this.#refuse(header.name, 'an empty name')
    }
    const parent = await this.#directory(parts.slice(0, -1), header.name)
    const path = join(parent, last)
    this.#touched.add(parent)
    switch (header.type) {
      case 'file':
        if (header.size <= SMALL_FILE) {
          // Small files are written at once with plain system calls, as pg_basebackup does: a pool
          // round trip per open/write/close cost more than the writes. Their fsyncs run in the
          // background, several at a time.
          this.#smallFile(path, header, await readChunks(body))
          if (this.#sync) {
            await this.#background(() => fsyncFile(path))
          }
        } else {
          await this.#file(path, header, body)
        }
        break
      case 'symlink':
        await this.#symlink(path, header)
        break
      case 'link':
        // A hard link names a file written earlier: it must be on disk first.
        await this.settle()
        await this.#hardLink(path, header)
        break
      default:
        this.result.skipped++
    }
  }

  async #file(path: string, header: TarHeader, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void> {
    let handle
    try {
      handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, FILE_CREATE_MODE)
    } catch (error) {
      if (errno(error) === 'EEXIST' || errno(error) === 'ELOOP') {
        throw new ExtractConflictError(path)
      }
      throw error
    }
    try {
      await writeBatched(handle, body, (bytes) => (this.result.bytes += bytes))
      // Created 0600 (the umask only takes bits away): most of a data directory needs no chmod.
      if ((header.mode & 0o7777) !== FILE_CREATE_MODE) {
        await handle.chmod(header.mode & 0o7777)
      }
      if (this.#preserveTimes && header.mtime.getTime() > 0) {
        await handle.utimes(header.mtime, header.mtime)
      }
      if (this.#sync) {
        await handle.sync()
      }
    } finally {
      await handle.close()
    }
    this.result.files++
  }

  #smallFile(path: string, header: TarHeader, chunks: Uint8Array[]): void {
    let fd: number
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, FILE_CREATE_MODE)
    } catch (error) {
      if (errno(error) === 'EEXIST' || errno(error) === 'ELOOP') {
        throw new ExtractConflictError(path)
      }
      throw error
    }
    try {
      writevFullySync(fd, chunks)
      if ((header.mode & 0o7777) !== FILE_CREATE_MODE) {
        fchmodSync(fd, header.mode & 0o7777)
      }
      if (this.#preserveTimes && header.mtime.getTime() > 0) {
        futimesSync(fd, header.mtime, header.mtime)
      }
    } finally {
      closeSync(fd)
    }
    this.result.bytes += header.size
    this.result.files++
  }

  async #symlink(path: string, header: TarHeader): Promise<void> {
    let target = header.linkname
    if (header.linkRelativeToRoot) {
      const checked = safeEntryParts(target)
      if ('refused' in checked) {
        throw this.#refuse(header.name, `link target "${target}": ${checked.refused}`)
      }
      target = join(this.target, ...checked.parts)
    }
    if (target === '') {
      throw this.#refuse(header.name, 'a symbolic link without a target')
    }
    try {
      await symlink(target, path)
    } catch (error) {
      if (errno(error) === 'EEXIST') {
        throw new ExtractConflictError(path)
      }
      throw error
    }
    this.result.symlinks++
  }

  async #hardLink(path: string, header: TarHeader): Promise<void> {
    const checked = safeEntryParts(header.linkname)
    if ('refused' in checked || checked.parts.length === 0) {
      throw this.#refuse(header.name, `hard link to "${header.linkname}" is not a safe relative name`)
    }
    const sourceDir = await this.#directory(checked.parts.slice(0, -1), header.name)
    const source = join(sourceDir, checked.parts.at(-1) as string)
    const stat = await lstat(source).catch(() => undefined)
    if (!stat?.isFile()) {
      throw this.#refuse(header.name, `hard link to "${header.linkname}", which is not a file extracted before it`)
    }
    try {
      await link(source, path)
    } catch (error) {
      if (errno(error) === 'EEXIST') {
        throw new ExtractConflictError(path)
      }
      throw error
    }
    this.result.hardLinks++
  }

  /** Runs a write in the background, at most BACKGROUND_WRITES at a time; the first failure is rethrown. */
  async #background(write: () => Promise<void>): Promise<void> {
    if (this.#failure) {
      throw this.#failure
    }
    while (this.#pending.size >= BACKGROUND_WRITES) {
      await Promise.race(this.#pending)
    }
    if (this.#failure) {
      throw this.#failure
    }
    const task: Promise<void> = write()
      .catch((error: unknown) => {
        this.#failure ??= error as Error
      })
      .finally(() => this.#pending.delete(task))
    this.#pending.add(task)
  }

  /** Waits for every background write; rethrows the first failure. */
  async settle(): Promise<void> {
    await Promise.all([...this.#pending])
    if (this.#failure) {
      throw this.#failure
    }
  }

  async finish(): Promise<void> {
    await this.settle()
    if (this.#sync) {
      for (const dir of [...this.#touched].sort((a, b) => b.length - a.length)) {
        await fsyncDirectory(dir)
      }
      await fsyncDirectory(this.target)
      await fsyncDirectory(dirname(this.target)).catch(() => {})
    }
  }
}

/**
 * Extracts entries (from `readTar` or `openArchive`) into `target`, created 0700 if missing.
 * Resolves with counts; rejects with UnsafeEntryError / ExtractConflictError (or an fs error) at
 * the first entry that cannot be written safely. What was written before stays for the caller to
 * remove.
 */
export async function extractEntries(entries: AsyncIterable<TarEntry>, target: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  await mkdir(resolve(target), { recursive: true, mode: 0o700 })
  const realTarget = await realpath(resolve(target))
  const roots = [realTarget]
  for (const root of options.allowedRoots ?? []) {
    roots.push(await realpath(resolve(root)).catch(() => resolve(root)))
  }
  const extractor = new Extractor(realTarget, roots, options)
  try {
    for await (const entry of entries) {
      const header = options.rewrite ? options.rewrite(entry.header) : entry.header
      if (header === null) {
        continue
      }
      options.onEntry?.(header)
      await extractor.entry(header === entry.header ? entry : { header, body: entry.body })
    }
  } catch (error) {
    // Let background writes end before the caller removes what was written.
    await extractor.settle().catch(() => undefined)
    throw error
  }
  await extractor.finish()
  return extractor.result
}
