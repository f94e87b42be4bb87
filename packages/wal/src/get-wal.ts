// restore_command: fetch one WAL file from the repository into %p, checked and atomically.
import { decompressWal } from './compression.js'
import { writeFileDurably } from './durable-file.js'
import { WalCorruptError, WalNotFoundError } from './errors.js'
import { parseWalFileName } from './wal-file-name.js'
import type { WalRepository } from './wal-repository.js'

export interface GetWalOptions {
  readonly repository: WalRepository
  /** %f: the WAL file name asked for. */
  readonly fileName: string
  /** %p: where to write it. */
  readonly targetPath: string
  /** fsync the file and its directory (default true). */
  readonly sync?: boolean
}

export interface GetWalResult {
  readonly fileName: string
  readonly size: number
}

/**
 * The original bytes of an archived file, decompressed and checked against its size and sha256; an
 * uncompressed file's bytes may view `into` (see WalRepository.read).
 */
export async function fetchWalBytes(repository: WalRepository, fileName: string, into?: Buffer): Promise<Buffer> {
  parseWalFileName(fileName)
  const archived = await repository.read(fileName, into)
  if (!archived) {
    throw new WalNotFoundError(fileName)
  }
  const what = `${fileName} in ${repository.location}`
  const bytes = await decompressWal(archived.payload, archived.info.compression, what)
  if (bytes.byteLength !== archived.info.size) {
    throw new WalCorruptError(`${what} is damaged: ${bytes.byteLength} bytes instead of ${archived.info.size}; nothing was written`)
  }
  const { createHash } = await import('node:crypto')
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  if (sha256 !== archived.info.sha256) {
    throw new WalCorruptError(
      `${what} is damaged: sha256 ${sha256} instead of the archived ${archived.info.sha256}; nothing was written`
    )
  }
  return bytes
}

/**
 * The repository's own checked copy (copyOut), when it has one and the file is stored uncompressed:
 * the size copied; undefined when the caller must read and decompress it; WalNotFoundError.
 */
export async function copyOutIfUncompressed(repository: WalRepository, fileName: string, targetPath: string, sync: boolean): Promise<number | undefined> {
  if (!repository.copyOut) {
    return undefined
  }
  parseWalFileName(fileName)
  const copied = await repository.copyOut(fileName, targetPath, { sync, mode: 0o600 })
  switch (copied.outcome) {
    case 'not-found':
      throw new WalNotFoundError(fileName)
    case 'compressed':
      return undefined
    case 'copied':
      return copied.size
  }
}

/** Fetches fileName into targetPath: WalNotFoundError when not archived, WalCorruptError when damaged. */
export async function getWal(options: GetWalOptions): Promise<GetWalResult> {
  const copied = await copyOutIfUncompressed(options.repository, options.fileName, options.targetPath, options.sync ?? true)
  if (copied !== undefined) {
    return { fileName: options.fileName, size: copied }
  }
  const bytes = await fetchWalBytes(options.repository, options.fileName)
  await writeFileDurably(options.targetPath, [bytes], { sync: options.sync ?? true, mode: 0o600 })
  return { fileName: options.fileName, size: bytes.byteLength }
}
