// archive_command: push one WAL file into the repository, never replacing an archived one.
import { open, type FileHandle } from 'node:fs/promises'
import type { ArchivedWalInfo } from './archived-file.js'
import { compressWal, type CompressionSpec } from './compression.js'
import { readWholeFile } from './durable-file.js'
import {
  WalConflictError,
  WalContentMismatchError,
  WalPageError,
  WalSegmentSizeMismatchError,
  WalSourceError,
  WalSystemMismatchError,
} from './errors.js'
import { readSegmentHeader } from './page-header.js'
import { parseWalFileName } from './wal-file-name.js'
import type { RepositoryIdentity, WalRepository } from './wal-repository.js'

export interface PushWalOptions {
  readonly repository: WalRepository
  /** %p: the file to archive. */
  readonly sourcePath: string
  /** %f: its WAL file name. */
  readonly fileName: string
  readonly compression?: CompressionSpec
}

export interface PushWalResult {
  readonly fileName: string
  /** 'stored', or 'already-archived' when identical content was archived before (a retry). */
  readonly outcome: 'stored' | 'already-archived'
  readonly sha256: string
  readonly size: number
}

/**
 * Pushes one WAL file. Segments are checked against their own long page header (the name's
 * segment, a sane size) and against the repository's system identifier, which the first segment
 * binds. Identical content already archived is success; different content is a WalConflictError.
 */
export async function pushWal(options: PushWalOptions): Promise<PushWalResult> {
  const { repository, fileName, sourcePath } = options
  const parsed = parseWalFileName(fileName)
  const checked = parsed.kind === 'segment' || parsed.kind === 'partial'
  const putFile = repository.putFileIfAbsent?.bind(repository)
  if ((options.compression?.method ?? 'none') === 'none' && putFile) {
    return pushStreamed(repository, putFile, fileName, sourcePath, (first, size) =>
      checked ? checkSegment(repository, fileName, first, size, parsed.kind === 'partial') : Promise.resolve()
    )
  }
  const bytes = await readSource(sourcePath, fileName)
  if (checked) {
    await checkSegment(repository, fileName, bytes, bytes.byteLength, parsed.kind === 'partial')
  }
  // node:crypto is loaded here, not at start-up: a call that fails early never pays for it.
  const { createHash } = await import('node:crypto')
  const spec = options.compression ?? { method: 'none' }
  const archived = await repository.head(fileName)
  // Compression runs on the thread pool while the main thread hashes.
  const compressing = archived ? undefined : compressWal(bytes, spec)
  compressing?.catch(() => undefined)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const pushed: ArchivedWalInfo = { sha256, size: bytes.byteLength, compression: spec.method }
  if (archived) {
    return sameOrConflict(fileName, archived, pushed)
  }
  const payload = await (compressing ?? compressWal(bytes, spec))
  return settled(repository, fileName, await repository.putIfAbsent(fileName, pushed, payload), pushed)
}

/** After a create-only store: stored, or — another push of the name won — judged against what it stored. */
async function settled(repository: WalRepository, fileName: string, outcome: 'stored' | 'exists', pushed: ArchivedWalInfo): Promise<PushWalResult> {
  if (outcome === 'exists') {
    const winner = await repository.head(fileName)
    if (winner) {
      return sameOrConflict(fileName, winner, pushed)
    }
  }
  return { fileName, outcome: 'stored', sha256: pushed.sha256, size: pushed.size }
}

/**
 * An uncompressed push into a repository that can copy from the source itself: hashed as it is copied
 * (no 16 MB in memory). A name archived already is judged after the copy, as a lost race is.
 */
async function pushStreamed(
  repository: WalRepository,
  putFile: NonNullable<WalRepository['putFileIfAbsent']>,
  fileName: string,
  sourcePath: string,
  check: (first: Buffer, size: number) => Promise<void>
): Promise<PushWalResult> {
  const source = await openSource(sourcePath, fileName)
  try {
    const put = await putFile(fileName, source, sourcePath, check)
    return await settled(repository, fileName, put.outcome, { sha256: put.sha256, size: put.size, compression: 'none' })
  } finally {
    await source.close()
  }
}

function sameOrConflict(fileName: string, archived: ArchivedWalInfo, pushed: ArchivedWalInfo): PushWalResult {
  if (archived.sha256 !== pushed.sha256 || archived.size !== pushed.size) {
    throw new WalConflictError(fileName, archived.sha256, pushed.sha256)
  }
  return { fileName, outcome: 'already-archived', sha256: pushed.sha256, size: pushed.size }
}

function sourceError(error: unknown, sourcePath: string, fileName: string): WalSourceError {
  const code = (error as NodeJS.ErrnoException).code
  const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? (error as Error).message})`
  return new WalSourceError(`${sourcePath} (to archive as ${fileName}) ${why}; nothing was archived`, { cause: error })
}

async function readSource(sourcePath: string, fileName: string): Promise<Buffer> {
  try {
    return await readWholeFile(sourcePath)
  } catch (error) {
    throw sourceError(error, sourcePath, fileName)
  }
}

async function openSource(sourcePath: string, fileName: string): Promise<FileHandle> {
  let source: FileHandle | undefined
  try {
    source = await open(sourcePath, 'r')
    if ((await source.stat()).isDirectory()) {
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
    }
    return source
  } catch (error) {
    await source?.close()
    throw sourceError(error, sourcePath, fileName)
  }
}

/** Checks a segment's first page (`bytes`, its start) and its `size` against the repository's identity. */
async function checkSegment(repository: WalRepository, fileName: string, bytes: Buffer, size: number, partial: boolean): Promise<void> {
  let identity: RepositoryIdentity
  let segmentSize: number
  try {
    const header = readSegmentHeader(bytes, { fileName })
    segmentSize = header.segmentSize
    identity = {
      systemIdentifier: header.systemIdentifier,
      segmentSize,
      ...(header.format ? { flavor: header.format.flavor } : {}),
      ...(header.format?.major ? { major: header.format.major } : {}),
    }
  } catch (error) {
    if (error instanceof WalPageError) {
      throw new WalContentMismatchError(`refusing to archive ${fileName}: ${error.message}`, { cause: error })
    }
    throw error
  }
  if (partial ? size > segmentSize : size !== segmentSize) {
    throw new WalContentMismatchError(
      `refusing to archive ${fileName}: the file is ${size} bytes but its header says ${segmentSize}-byte segments`
    )
  }
  const bound = (await repository.readIdentity()) ?? (await repository.bindIdentity(identity))
  if (bound.systemIdentifier !== identity.systemIdentifier) {
    throw new WalSystemMismatchError(fileName, bound.systemIdentifier, identity.systemIdentifier)
  }
  if (bound.segmentSize !== segmentSize) {
    throw new WalSegmentSizeMismatchError(
      `refusing to archive ${fileName}: it is a ${segmentSize}-byte segment but the repository ${repository.location} ` +
        `holds ${bound.segmentSize}-byte segments`
    )
  }
}
