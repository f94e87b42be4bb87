// archive_command: push one WAL file into the repository, never replacing an archived one.
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
  const bytes = await readSource(sourcePath, fileName)
  if (parsed.kind === 'segment' || parsed.kind === 'partial') {
    await checkSegment(repository, fileName, bytes, parsed.kind === 'partial')
  }
  // node:crypto is loaded here, not at start-up: a call that fails early never pays for it.
  const { createHash } = await import('node:crypto')
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const pushed: ArchivedWalInfo = { sha256, size: bytes.byteLength, compression: options.compression?.method ?? 'none' }
  const archived = await repository.head(fileName)
  if (archived) {
    return sameOrConflict(fileName, archived, pushed)
  }
  const payload = await compressWal(bytes, options.compression ?? { method: 'none' })
  const outcome = await repository.putIfAbsent(fileName, pushed, payload)
  if (outcome === 'exists') {
    // Another push of the same name won the race: judge against what it stored.
    const winner = await repository.head(fileName)
    if (winner) {
      return sameOrConflict(fileName, winner, pushed)
    }
  }
  return { fileName, outcome: 'stored', sha256, size: bytes.byteLength }
}

function sameOrConflict(fileName: string, archived: ArchivedWalInfo, pushed: ArchivedWalInfo): PushWalResult {
  if (archived.sha256 !== pushed.sha256 || archived.size !== pushed.size) {
    throw new WalConflictError(fileName, archived.sha256, pushed.sha256)
  }
  return { fileName, outcome: 'already-archived', sha256: pushed.sha256, size: pushed.size }
}

async function readSource(sourcePath: string, fileName: string): Promise<Buffer> {
  try {
    return await readWholeFile(sourcePath)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? (error as Error).message})`
    throw new WalSourceError(`${sourcePath} (to archive as ${fileName}) ${why}; nothing was archived`, { cause: error })
  }
}

async function checkSegment(repository: WalRepository, fileName: string, bytes: Buffer, partial: boolean): Promise<void> {
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
  if (partial ? bytes.byteLength > segmentSize : bytes.byteLength !== segmentSize) {
    throw new WalContentMismatchError(
      `refusing to archive ${fileName}: the file is ${bytes.byteLength} bytes but its header says ${segmentSize}-byte segments`
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
