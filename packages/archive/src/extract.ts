// Extracting tar entries into a directory, safely and durably: no entry may write outside the
// target or the allowed roots (tablespace locations) — absolute names, '..', and paths through
// links that lead elsewhere are refused; nothing that exists is overwritten; files keep their
// modes (and mtimes), directories are 0700; with sync, every file and every directory written into
// is fsynced at the end. Entries are written with plain system calls, as pg_basebackup does: a
// thread-pool round trip per open, write or close cost more than the writes. The core is
// synchronous so that a producer handing out views of a reused buffer (TarPushParser fed from the
// socket) can write each piece before the buffer is read into again.
import { closeSync, constants, fchmodSync, futimesSync, linkSync, lstatSync, mkdirSync, openSync, readlinkSync, realpathSync, symlinkSync } from 'node:fs'
import { mkdir, open, realpath } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { isInsideAny, safeEntryParts } from './entry-path.js'
import { ExtractConflictError, UnsafeEntryError } from './errors.js'
import type { TarEntry, TarHeader } from './tar-entry.js'
import type { EntrySink } from './tar-push-parser.js'
import { writevFullySync } from './write-fully.js'

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

async function fsyncPath(path: string, directory: boolean): Promise<void> {
  const handle = await open(path, directory ? constants.O_RDONLY | constants.O_DIRECTORY : constants.O_WRONLY | constants.O_NOFOLLOW)
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** The mode files are created with, before their own is set. */
const FILE_CREATE_MODE = 0o600

/** Bytes gathered before one writev; a producer's flush writes sooner (views of a reused buffer must). */
const WRITE_BATCH = 1024 * 1024
/** fsyncs at once at the end of a synced extraction. */
const PARALLEL_FSYNCS = 16

/** One file being written: pieces are gathered and written together, one writev per flush or per WRITE_BATCH. */
class FileWriter implements EntrySink {
  #pieces: Buffer[] = []
  #gathered = 0

  constructor(
    readonly path: string,
    readonly fd: number,
    readonly header: TarHeader,
    readonly onEnd: (writer: FileWriter) => void
  ) {}

  write(piece: Buffer): void {
    this.#pieces.push(piece)
    this.#gathered += piece.length
    if (this.#gathered >= WRITE_BATCH) {
      this.flush()
    }
  }

  flush(): void {
    if (this.#pieces.length > 0) {
      const pieces = this.#pieces
      this.#pieces = []
      this.#gathered = 0
      writevFullySync(this.fd, pieces)
    }
  }

  end(): void {
    this.onEnd(this)
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
  /** Files to fsync at the end. */
  readonly #written: string[] = []
  #open: FileWriter | undefined
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
  #directory(parts: string[], entryName: string): string {
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
      const stat = lstatSync(path, { throwIfNoEntry: false })
      if (!stat) {
        mkdirSync(path, { mode: 0o700 })
        this.#touched.add(current)
        this.#touched.add(path)
        this.result.directories++
        current = path
      } else if (stat.isSymbolicLink()) {
        current = this.#throughLink(path, relative, entryName)
      } else if (stat.isDirectory()) {
        current = path
      } else {
        throw new ExtractConflictError(path)
      }
      this.#dirs.set(relative, current)
    }
    return current
  }

  #throughLink(path: string, relative: string, entryName: string): string {
    let real: string
    try {
      real = realpathSync(path)
    } catch {
      throw this.#refuse(entryName, `"${relative}" is a link to "${readlinkSync(path)}", which does not exist`)
    }
    if (!isInsideAny(real, this.#roots)) {
      throw this.#refuse(entryName, `"${relative}" is a link leading outside the target directory (to "${real}")`)
    }
    if (!lstatSync(real).isDirectory()) {
      throw new ExtractConflictError(path)
    }
    return real
  }

  /**
   * Writes an entry's header: a directory or link at once; a file is created and returned as the
   * sink its body goes to (written by the time the sink's end() returns).
   */
  begin(header: TarHeader): EntrySink | undefined {
    if (this.#open) {
      throw new Error(`${this.#open.path}: the previous entry's body did not end`)
    }
    const checked = safeEntryParts(header.name)
    if ('refused' in checked) {
      throw this.#refuse(header.name, checked.refused)
    }
    const parts = checked.parts
    if (header.type === 'directory') {
      this.#directory(parts, header.name)
      return undefined
    }
    const last = parts.at(-1)
    if (last === undefined) {
      throw this.#refuse(header.name, 'an empty name')
    }
    const parent = this.#directory(parts.slice(0, -1), header.name)
    const path = join(parent, last)
    this.#touched.add(parent)
    switch (header.type) {
      case 'file':
        this.#open = this.#createFile(path, header)
        return this.#open
      case 'symlink':
        this.#symlink(path, header)
        return undefined
      case 'link':
        this.#hardLink(path, header)
        return undefined
      default:
        this.result.skipped++
        return undefined
    }
  }

  #createFile(path: string, header: TarHeader): FileWriter {
    let fd: number
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, FILE_CREATE_MODE)
    } catch (error) {
      if (errno(error) === 'EEXIST' || errno(error) === 'ELOOP') {
        throw new ExtractConflictError(path)
      }
      throw error
    }
    return new FileWriter(path, fd, header, this.#closeFile)
  }

  readonly #closeFile = (writer: FileWriter): void => {
    this.#open = undefined
    const { fd, header } = writer
    try {
      writer.flush()
      // Created 0600 (the umask only takes bits away): most of a data directory needs no chmod.
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
    if (this.#sync) {
      this.#written.push(writer.path)
    }
  }

  /** Closes a file left open by a failure (it stays for the caller to remove). */
  abandon(): void {
    const open = this.#open
    this.#open = undefined
    if (open) {
      closeSync(open.fd)
    }
  }

  #symlink(path: string, header: TarHeader): void {
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
      symlinkSync(target, path)
    } catch (error) {
      if (errno(error) === 'EEXIST') {
        throw new ExtractConflictError(path)
      }
      throw error
    }
    this.result.symlinks++
  }

  #hardLink(path: string, header: TarHeader): void {
    const checked = safeEntryParts(header.linkname)
    if ('refused' in checked || checked.parts.length === 0) {
      throw this.#refuse(header.name, `hard link to "${header.linkname}" is not a safe relative name`)
    }
    const sourceDir = this.#directory(checked.parts.slice(0, -1), header.name)
    const source = join(sourceDir, checked.parts.at(-1) as string)
    if (!lstatSync(source, { throwIfNoEntry: false })?.isFile()) {
      throw this.#refuse(header.name, `hard link to "${header.linkname}", which is not a file extracted before it`)
    }
    try {
      linkSync(source, path)
    } catch (error) {
      if (errno(error) === 'EEXIST') {
        throw new ExtractConflictError(path)
      }
      throw error
    }
    this.result.hardLinks++
  }

  /** With sync: fsyncs every file written (several at a time), then every directory written into. */
  async finish(): Promise<void> {
    if (!this.#sync) {
      return
    }
    const files = this.#written.splice(0)
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        await fsyncPath(files[next++] as string, false)
      }
    }
    await Promise.all(Array.from({ length: Math.min(PARALLEL_FSYNCS, files.length) }, worker))
    for (const dir of [...this.#touched].sort((a, b) => b.length - a.length)) {
      await fsyncPath(dir, true)
    }
    await fsyncPath(this.target, true)
    await fsyncPath(dirname(this.target), true).catch(() => {})
  }
}

/** Entries written as they are parsed (TarPushParser's onEntry), then finish(); see extractEntries. */
export interface Extraction {
  /** Writes an entry (after options.rewrite and onEntry); a file's body goes to the returned sink. */
  entry(header: TarHeader): EntrySink | undefined
  /** fsyncs (with sync) and returns the counts. */
  finish(): Promise<ExtractResult>
  /** After a failure: closes what is open. What was written stays for the caller to remove. */
  abandon(): void
}

/** Prepares `target` (created 0700 if missing) for entries written one by one. */
export async function openExtraction(target: string, options: ExtractOptions = {}): Promise<Extraction> {
  await mkdir(resolve(target), { recursive: true, mode: 0o700 })
  const realTarget = await realpath(resolve(target))
  const roots = [realTarget]
  for (const root of options.allowedRoots ?? []) {
    roots.push(await realpath(resolve(root)).catch(() => resolve(root)))
  }
  const extractor = new Extractor(realTarget, roots, options)
  return {
    entry: (original) => {
      const header = options.rewrite ? options.rewrite(original) : original
      if (header === null) {
        return undefined
      }
      options.onEntry?.(header)
      return extractor.begin(header)
    },
    finish: async () => {
      await extractor.finish()
      return extractor.result
    },
    abandon: () => extractor.abandon(),
  }
}

/**
 * Extracts entries (from `readTar` or `openArchive`) into `target`, created 0700 if missing.
 * Resolves with counts; rejects with UnsafeEntryError / ExtractConflictError (or an fs error) at
 * the first entry that cannot be written safely. What was written before stays for the caller to
 * remove.
 */
export async function extractEntries(entries: AsyncIterable<TarEntry>, target: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  const extraction = await openExtraction(target, options)
  try {
    for await (const entry of entries) {
      const sink = extraction.entry(entry.header)
      if (!sink) {
        // A skipped entry's body is skipped by the reader when the iteration moves on.
        continue
      }
      for await (const chunk of entry.body as AsyncIterable<Buffer>) {
        sink.write(chunk)
      }
      sink.end()
    }
  } catch (error) {
    extraction.abandon()
    throw error
  }
  return extraction.finish()
}
