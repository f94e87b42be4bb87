// The directory driver: a key is a file path under the root. Writes are durable (a temporary file in
// the target's directory, fsync, then rename, or link(2) for create-only, which never replaces, then
// fsync of the directory); temporary names start with '.' and '.tidemark-' and are never listed.
import { createReadStream } from 'node:fs'
import { link, mkdir, open, opendir, rename, rm, rmdir, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { bodyChunks } from './body.js'
import { StorageExistsError, StorageIntegrityError, StorageIoError, StorageNotFoundError, StorageUsageError } from './errors.js'
import { checkKey, checkPrefix, RESERVED_PREFIX } from './object-key.js'
import type { GetOptions, ListOptions, ObjectInfo, PutOptions, PutResult, Storage, StorageBody } from './storage.js'

const TEMP_PREFIX = RESERVED_PREFIX

export class PosixStorage implements Storage {
  readonly url: string
  readonly #root: string

  constructor(root: string) {
    this.#root = root
    this.url = root
  }

  async put(key: string, body: StorageBody, options: PutOptions = {}): Promise<PutResult> {
    const path = this.#path(key)
    const dir = dirname(path)
    await this.#makeDirectory(dir)
    const random = Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0')
    const temp = join(dir, `${TEMP_PREFIX}${process.pid}-${random}.tmp`)
    let size = 0
    let stored = false
    try {
      const handle = await open(temp, 'wx', 0o640).catch(async (error: unknown) => {
        // A delete may have just removed the emptied directory: make it again, once.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw error
        }
        await this.#makeDirectory(dir)
        return open(temp, 'wx', 0o640)
      })
      try {
        for await (const chunk of bodyChunks(body)) {
          options.signal?.throwIfAborted()
          await handle.write(chunk)
          size += chunk.length
        }
        if (options.size !== undefined && options.size !== size) {
          throw new StorageIntegrityError(`${key}: the body had ${size} bytes, ${options.size} were announced; nothing was stored`)
        }
        await handle.sync()
      } finally {
        await handle.close()
      }
      if (options.createOnly) {
        await linkCreateOnly(temp, path, key)
      } else {
        await rename(temp, path)
      }
      await syncDirectory(dir)
      stored = true
      return { key, size }
    } catch (error) {
      throw wrapIo(error, `could not store ${key} in ${this.#root}`)
    } finally {
      await rm(temp, { force: true })
      if (!stored) {
        // A failed put leaves no directory it made for nothing (as object storage has none).
        await this.#removeEmptyParents(dir)
      }
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    const path = this.#path(key)
    const handle = await open(path, 'r').catch((error: unknown) => {
      throw wrapIo(error, `could not read ${key} in ${this.#root}`, key)
    })
    const info = await handle.stat()
    if (!info.isFile()) {
      await handle.close()
      throw new StorageNotFoundError(`${key} not found (${this.#root} has a directory there)`)
    }
    const range = options.range
    if (range && (!Number.isSafeInteger(range.start) || range.start < 0 || (range.end !== undefined && range.end < range.start))) {
      await handle.close()
      throw new StorageUsageError(`${key}: invalid byte range ${JSON.stringify(range)}`)
    }
    return createReadStream('', {
      fd: handle,
      ...(range ? { start: range.start } : {}),
      ...(range?.end !== undefined ? { end: range.end } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    })
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const info = await stat(this.#path(key))
      return info.isFile() ? { key, size: info.size, lastModified: info.mtime } : undefined
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
        return undefined
      }
      throw wrapIo(error, `could not stat ${key} in ${this.#root}`)
    }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    checkPrefix(prefix)
    // Walk only the directory the prefix names, then filter by the rest; emit in key order.
    const slash = prefix.lastIndexOf('/')
    const base = slash < 0 ? '' : prefix.slice(0, slash)
    yield* this.#walk(base, prefix, options.startAfter, options.signal)
  }

  async *#walk(relative: string, prefix: string, startAfter: string | undefined, signal: AbortSignal | undefined): AsyncGenerator<ObjectInfo> {
    const dir = relative === '' ? this.#root : join(this.#root, relative)
    let names: string[]
    try {
      names = []
      for await (const entry of await opendir(dir)) {
        names.push(entry.name)
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        return
      }
      throw wrapIo(error, `could not list ${dir}`)
    }
    // Key order: a directory 'a' sorts as 'a/', so compare names with '/' appended for directories.
    const entries: { name: string; sortKey: string; isDir: boolean }[] = []
    for (const name of names) {
      if (name.startsWith(TEMP_PREFIX)) {
        continue
      }
      const key = relative === '' ? name : `${relative}/${name}`
      const info = await stat(join(this.#root, key)).catch(() => undefined)
      if (!info) {
        continue
      }
      entries.push({ name, sortKey: info.isDirectory() ? `${name}/` : name, isDir: info.isDirectory() })
    }
    entries.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
    for (const entry of entries) {
      signal?.throwIfAborted()
      const key = relative === '' ? entry.name : `${relative}/${entry.name}`
      if (entry.isDir) {
        const asPrefix = `${key}/`
        // A directory whose keys all sort before startAfter is not walked at all.
        const passed = startAfter !== undefined && asPrefix < startAfter && !startAfter.startsWith(asPrefix)
        if (!passed && (asPrefix.startsWith(prefix) || prefix.startsWith(asPrefix))) {
          yield* this.#walk(key, prefix, startAfter, signal)
        }
      } else if (key.startsWith(prefix) && (startAfter === undefined || key > startAfter)) {
        const info = await this.head(key)
        if (info) {
          yield info
        }
      }
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    const dirs = new Set<string>()
    for (const key of keys) {
      const path = this.#path(key)
      try {
        await rm(path, { force: true })
      } catch (error) {
        throw wrapIo(error, `could not delete ${key} in ${this.#root}`)
      }
      dirs.add(dirname(path))
    }
    for (const dir of dirs) {
      await syncDirectory(dir).catch(() => undefined)
      await this.#removeEmptyParents(dir)
    }
  }

  /** Directories exist only for the keys under them: the ones a delete emptied go too (object-store semantics). */
  async #removeEmptyParents(dir: string): Promise<void> {
    for (let current = dir; current !== this.#root && current.startsWith(`${this.#root}/`); current = dirname(current)) {
      try {
        await rmdir(current)
      } catch {
        // Not empty (or already gone): the directories above are not empty either.
        return
      }
      await syncDirectory(dirname(current)).catch(() => undefined)
    }
  }

  async close(): Promise<void> {
    // Nothing held open between calls.
  }

  #path(key: string): string {
    return join(this.#root, checkKey(key))
  }

  async #makeDirectory(dir: string): Promise<void> {
    try {
      const created = await mkdir(dir, { recursive: true, mode: 0o750 })
      if (created !== undefined) {
        let current = dir
        while (current.length >= created.length) {
          await syncDirectory(dirname(current))
          current = dirname(current)
        }
      }
    } catch (error) {
      throw wrapIo(error, `could not create ${dir}`)
    }
  }
}

async function linkCreateOnly(temp: string, path: string, key: string): Promise<void> {
  try {
    await link(temp, path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new StorageExistsError(`${key} already exists; it was not replaced`, { cause: error })
    }
    throw error
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

function wrapIo(error: unknown, what: string, missingKey?: string): Error {
  if (error instanceof Error && 'exitCode' in error) {
    return error
  }
  const code = (error as NodeJS.ErrnoException).code
  if (missingKey !== undefined && (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR')) {
    return new StorageNotFoundError(`${missingKey} not found`, { cause: error })
  }
  if ((error as Error).name === 'AbortError') {
    return error as Error
  }
  return new StorageIoError(`${what}: ${code ? `${code} ` : ''}${(error as Error).message}`, { cause: error })
}
