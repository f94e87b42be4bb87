// A WAL repository in a local (or mounted) directory. Layout (docs/wal-repository.md):
//
//   <repo>/tidemark-wal.json                                  identity: system identifier, segment size
//   <repo>/wal/history/TTTTTTTT.history                       timeline history files
//   <repo>/wal/TTTTTTTTLLLLLLLL/<segment>[.partial]           segments, 256 per directory at 16 MB
//   <repo>/wal/TTTTTTTTLLLLLLLL/<segment>.OOOOOOOO.backup     backup history files
//
// Each archived file is one tidemark-wal archived file (archived-file.ts), stored under its WAL name.
import { open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { decodeArchivedHeader, encodeArchivedHeader, MAX_HEADER_LENGTH, type ArchivedWalInfo } from './archived-file.js'
import { ioError, makeDirectoryDurably, readWholeFile, syncDirectory, writeFileDurably } from './durable-file.js'
import { WalRepositoryError } from './errors.js'
import { isValidSegmentSize } from './segment-size.js'
import { classifyWalFileName, parseWalFileName } from './wal-file-name.js'
import { copyBehindHeaderDurably, copyOutVerified } from './streamed-copy.js'
import type { ArchivedWal, CopyOutOutcome, CopyOutTarget, RepositoryIdentity, StreamedPut, WalRepository } from './wal-repository.js'

export const IDENTITY_FILE = 'tidemark-wal.json'
const IDENTITY_FORMAT = 'tidemark-wal-repository'
export const WAL_DIR = 'wal'
export const HISTORY_DIR = 'history'

/** A placeholder of the length of every sha256 in hex, to size the header before the copy. */
const EMPTY_SHA256 = '0'.repeat(64)

export class DirectoryWalRepository implements WalRepository {
  readonly location: string
  readonly #root: string

  constructor(root: string) {
    this.#root = resolve(root)
    this.location = this.#root
  }

  /** The directory an archived name lives in; the name is validated first, so no path escapes. */
  directoryOf(name: string): string {
    const parsed = parseWalFileName(name)
    const sub = parsed.kind === 'history' ? HISTORY_DIR : (parsed.segment ?? '').slice(0, 16)
    return join(this.#root, WAL_DIR, sub)
  }

  pathOf(name: string): string {
    return join(this.directoryOf(name), name)
  }

  async readIdentity(): Promise<RepositoryIdentity | undefined> {
    const path = join(this.#root, IDENTITY_FILE)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined
      }
      throw ioError(error, `could not read ${path}`)
    }
    return parseIdentity(text, path)
  }

  async bindIdentity(identity: RepositoryIdentity): Promise<RepositoryIdentity> {
    await makeDirectoryDurably(this.#root)
    await writeFileDurably(join(this.#root, IDENTITY_FILE), [encodeIdentity(identity)], { noClobber: true })
    const bound = await this.readIdentity()
    if (!bound) {
      throw new WalRepositoryError(`${this.#root}: ${IDENTITY_FILE} vanished right after it was written`)
    }
    return bound
  }

  async head(name: string): Promise<ArchivedWalInfo | undefined> {
    const path = this.pathOf(name)
    let handle
    try {
      handle = await open(path, 'r')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined
      }
      throw ioError(error, `could not open ${path}`)
    }
    try {
      const buffer = Buffer.alloc(MAX_HEADER_LENGTH)
      const { bytesRead } = await handle.read(buffer, 0, MAX_HEADER_LENGTH, 0)
      return decodeArchivedHeader(buffer.subarray(0, bytesRead), path).info
    } finally {
      await handle.close()
    }
  }

  async read(name: string, into?: Buffer): Promise<ArchivedWal | undefined> {
    const path = this.pathOf(name)
    let bytes: Buffer
    try {
      bytes = await readWholeFile(path, into)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined
      }
      throw ioError(error, `could not read ${path}`)
    }
    const { info, payloadOffset } = decodeArchivedHeader(bytes, path)
    return { info, payload: bytes.subarray(payloadOffset) }
  }

  async copyOut(name: string, targetPath: string, target: CopyOutTarget): Promise<CopyOutOutcome> {
    const path = this.pathOf(name)
    let source: FileHandle
    try {
      source = await open(path, 'r')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return { outcome: 'not-found' }
      }
      throw ioError(error, `could not read ${path}`)
    }
    try {
      const head = Buffer.alloc(MAX_HEADER_LENGTH)
      const { bytesRead } = await source.read(head, 0, head.length, 0)
      const { info, payloadOffset } = decodeArchivedHeader(head.subarray(0, bytesRead), path)
      if (info.compression !== 'none') {
        return { outcome: 'compressed' }
      }
      await copyOutVerified(source, payloadOffset, targetPath, { expected: info, what: `${name} in ${this.location}`, ...target })
      return { outcome: 'copied', size: info.size }
    } finally {
      await source.close()
    }
  }

  async putIfAbsent(name: string, info: ArchivedWalInfo, payload: Uint8Array): Promise<'stored' | 'exists'> {
    const dir = this.directoryOf(name)
    try {
      await makeDirectoryDurably(dir)
    } catch (error) {
      throw ioError(error, `could not create ${dir}`)
    }
    const outcome = await writeFileDurably(join(dir, name), [encodeArchivedHeader(info), payload], { noClobber: true })
    return outcome === 'written' ? 'stored' : 'exists'
  }

  async putFileIfAbsent(name: string, source: FileHandle, sourceName: string, check: (first: Buffer, size: number) => Promise<void>): Promise<StreamedPut> {
    const dir = this.directoryOf(name)
    const header = (sha256: string, size: number): Buffer => encodeArchivedHeader({ sha256, size, compression: 'none' })
    const result = await copyBehindHeaderDurably(source, sourceName, join(dir, name), {
      check: async (first, size) => {
        await check(first, size)
        try {
          await makeDirectoryDurably(dir)
        } catch (error) {
          throw ioError(error, `could not create ${dir}`)
        }
      },
      header,
      headerLength: (size) => header(EMPTY_SHA256, size).length,
    })
    return { outcome: result.outcome === 'written' ? 'stored' : 'exists', sha256: result.sha256, size: result.size }
  }

  async list(): Promise<string[]> {
    const walDir = join(this.#root, WAL_DIR)
    const names: string[] = []
    for (const sub of await entries(walDir)) {
      if (sub !== HISTORY_DIR && !/^[0-9A-F]{16}$/.test(sub)) {
        continue
      }
      for (const name of await entries(join(walDir, sub))) {
        if (classifyWalFileName(name) && this.directoryOf(name) === join(walDir, sub)) {
          names.push(name)
        }
      }
    }
    return names.sort()
  }

  async remove(name: string): Promise<void> {
    const dir = this.directoryOf(name)
    try {
      await rm(join(dir, name), { force: true })
      await syncDirectory(dir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return
      }
      throw ioError(error, `could not remove ${join(dir, name)}`)
    }
  }
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return []
    }
    throw ioError(error, `could not list ${dir}`)
  }
}

/** The identity file's bytes (tidemark-wal.json), shared by every repository kind. */
export function encodeIdentity(identity: RepositoryIdentity): Buffer {
  const document = {
    format: IDENTITY_FORMAT,
    version: 1,
    systemIdentifier: identity.systemIdentifier,
    segmentSize: identity.segmentSize,
    ...(identity.flavor ? { flavor: identity.flavor } : {}),
    ...(identity.major ? { major: identity.major } : {}),
    createdAt: new Date().toISOString(),
  }
  return Buffer.from(`${JSON.stringify(document, null, 2)}\n`)
}

/** Parses an identity file's text; `path` names it in messages. */
export function parseIdentity(text: string, path: string): RepositoryIdentity {
  let document: Record<string, unknown>
  try {
    document = JSON.parse(text) as Record<string, unknown>
  } catch (error) {
    throw new WalRepositoryError(`${path} is not valid JSON; restore it from a copy or start a new repository`, { cause: error })
  }
  const { format, version, systemIdentifier, segmentSize, flavor, major } = document
  if (format !== IDENTITY_FORMAT || version !== 1) {
    throw new WalRepositoryError(`${path} is not a version 1 ${IDENTITY_FORMAT} identity file`)
  }
  if (typeof systemIdentifier !== 'string' || !/^\d{1,20}$/.test(systemIdentifier)) {
    throw new WalRepositoryError(`${path}: systemIdentifier must be a decimal string`)
  }
  if (typeof segmentSize !== 'number' || !isValidSegmentSize(segmentSize)) {
    throw new WalRepositoryError(`${path}: segmentSize must be a WAL segment size`)
  }
  return {
    systemIdentifier,
    segmentSize,
    ...(flavor === 'postgresql' || flavor === 'opengauss' ? { flavor } : {}),
    ...(typeof major === 'number' ? { major } : {}),
  }
}
