// The WAL repository: where pushed WAL lives. The interface is storage-neutral so an HTTP or S3
// implementation can stand beside the directory one; push, get and cleanup only use this.
import type { FileHandle } from 'node:fs/promises'
import type { ArchivedWalInfo } from './archived-file.js'
import type { WalFlavor } from './wal-flavor.js'

/** The database system a repository is bound to, read from the first pushed segment. */
export interface RepositoryIdentity {
  readonly systemIdentifier: string
  readonly segmentSize: number
  readonly flavor?: WalFlavor
  /** The PostgreSQL major that wrote the first segment, when its page magic is known. */
  readonly major?: number
}

/** An archived file: its header and its stored (maybe compressed) bytes. */
export interface ArchivedWal {
  readonly info: ArchivedWalInfo
  readonly payload: Buffer
}

/** What putFileIfAbsent stored (or found already there), and the source's checksum and size. */
export interface StreamedPut {
  readonly outcome: 'stored' | 'exists'
  readonly sha256: string
  readonly size: number
}

/** Where copyOut writes: fsync or not (a prefetch spool), and the new file's mode. */
export interface CopyOutTarget {
  readonly sync: boolean
  readonly mode: number
}

export type CopyOutOutcome = { readonly outcome: 'copied'; readonly size: number } | { readonly outcome: 'not-found' | 'compressed' }

export interface WalRepository {
  /** Where the repository is, for messages. */
  readonly location: string
  /** The bound identity, or undefined before the first segment was pushed. */
  readIdentity(): Promise<RepositoryIdentity | undefined>
  /** Binds the repository unless it is bound already; returns the identity in force. */
  bindIdentity(identity: RepositoryIdentity): Promise<RepositoryIdentity>
  /** The header of an archived file, or undefined when the name is not archived. */
  head(name: string): Promise<ArchivedWalInfo | undefined>
  /**
   * An archived file, or undefined when the name is not archived. `into`, when large enough, may be
   * read into (the payload then views it): a caller fetching many segments reuses its memory.
   */
  read(name: string, into?: Buffer): Promise<ArchivedWal | undefined>
  /** Stores a file durably unless the name exists; never replaces an archived file. */
  putIfAbsent(name: string, info: ArchivedWalInfo, payload: Uint8Array): Promise<'stored' | 'exists'>
  /**
   * Optional: stores an uncompressed file straight from an open source, hashed as it is copied (see
   * streamed-copy.ts); `check` sees the first piece and the size before anything is stored.
   */
  putFileIfAbsent?(name: string, source: FileHandle, sourceName: string, check: (first: Buffer, size: number) => Promise<void>): Promise<StreamedPut>
  /**
   * Optional: copies an uncompressed archived file to targetPath, checked (size, sha256) before the
   * file appears, without holding it in memory; 'compressed' leaves the caller to use read().
   */
  copyOut?(name: string, targetPath: string, options: CopyOutTarget): Promise<CopyOutOutcome>
  /** Every archived WAL file name. */
  list(): Promise<string[]>
  /** Removes an archived file (cleanup); a missing file is not an error. */
  remove(name: string): Promise<void>
  /** Releases sockets and handles (object storage); repositories that hold none need not have it. */
  close?(): Promise<void>
}
