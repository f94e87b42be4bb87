// Where a tar-format backup's files go: a directory (-D) or a repository (--repo), one destination
// per file. A destination is a Writable the archive pipeline ends in, and a promise that settles once
// the file is stored for good (at once for a file; when the storage put completes for a repository).
import { PassThrough, type Writable } from 'node:stream'
import { BatchedFileWriter } from './batched-file-writer.js'
import type { BackupRepository } from './repository/backup-repository.js'
import { FILE_BUFFER } from './server-archive.js'

export interface ArchiveDestination {
  readonly stream: Writable
  /** Settles once the bytes written to stream are stored; rejects when storing fails. */
  readonly stored: Promise<void>
  /** The store's own failure when it failed before the pipeline did (it is then the cause). */
  readonly storeFailure?: () => Error | undefined
}

/** A new file (never over an existing one): stored once the write stream finishes. */
export function fileDestination(path: string): ArchiveDestination {
  return { stream: new BatchedFileWriter(path, { flags: 'wx', mode: 0o600 }), stored: Promise.resolve() }
}

/**
 * A file of a backup in a repository: the pipeline writes into a pass-through the storage put reads
 * (create-only). A failed put destroys the pass-through so the pipeline stops instead of waiting;
 * a failed pipeline destroys it too, and the put then removes what it started.
 */
export function repositoryDestination(
  repository: BackupRepository,
  id: string,
  name: string,
  signal?: AbortSignal
): ArchiveDestination {
  const stream = new PassThrough({ highWaterMark: FILE_BUFFER })
  let storeFailure: Error | undefined
  const stored = repository
    .putFile(id, name, stream, signal ? { signal } : {})
    .then(() => undefined)
    .catch((error: unknown) => {
      if (!stream.destroyed) {
        storeFailure = error as Error
        stream.destroy(error as Error)
      }
      throw error
    })
  stored.catch(() => undefined)
  return { stream, stored, storeFailure: () => storeFailure }
}

/** Waits for a pipeline into destination and for the destination to store it; either failure fails. */
export async function storeThrough(destination: ArchiveDestination, pipelineDone: Promise<void>): Promise<void> {
  try {
    await pipelineDone
  } catch (error) {
    await destination.stored.catch(() => undefined)
    // A put that failed first explains more than the pipeline it broke.
    throw destination.storeFailure?.() ?? error
  }
  await destination.stored
}
