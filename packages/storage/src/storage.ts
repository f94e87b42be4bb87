// The one interface every storage driver implements: a flat namespace of keys ('a/b/c') holding
// immutable-once-written byte objects, read and written as streams.
import type { Readable } from 'node:stream'

/** What a put reads: a stream (any length, read once) or bytes. */
export type StorageBody = Readable | AsyncIterable<Uint8Array> | Uint8Array

export interface PutOptions {
  /** Refuse (StorageExistsError) when the key exists instead of replacing it; race-safe. */
  readonly createOnly?: boolean
  /** The exact body size when known: sizes multipart parts and is checked against what was read. */
  readonly size?: number
  /** Aborts the put; what it started is removed. */
  readonly signal?: AbortSignal
}

export interface PutResult {
  readonly key: string
  readonly size: number
}

/** Bytes [start, end] inclusive, as in an HTTP Range; end omitted: to the end of the object. */
export interface ByteRange {
  readonly start: number
  readonly end?: number
}

export interface GetOptions {
  readonly range?: ByteRange
  readonly signal?: AbortSignal
}

export interface ObjectInfo {
  readonly key: string
  readonly size: number
  readonly lastModified: Date
}

export interface ListOptions {
  /** Keys per request (S3 MaxKeys, at most 1000); the listing itself is always complete. */
  readonly pageSize?: number
  /** Only keys after this one (exclusive), as S3's StartAfter: where a paged listing resumes. */
  readonly startAfter?: string
  readonly signal?: AbortSignal
}

export interface Storage {
  /** The storage's URL (a directory path or s3://bucket/prefix), never with credentials. */
  readonly url: string
  /** Writes key from body; durable once it resolves; nothing is left behind when it fails. */
  put(key: string, body: StorageBody, options?: PutOptions): Promise<PutResult>
  /** Reads key (or a range of it) as a stream; StorageNotFoundError when missing. */
  get(key: string, options?: GetOptions): Promise<Readable>
  /** The key's size and time, or undefined when missing. */
  head(key: string, options?: { readonly signal?: AbortSignal }): Promise<ObjectInfo | undefined>
  /** Every key under prefix, in key order, a page at a time. */
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo>
  /** Removes the keys (missing ones are fine), in batches. */
  delete(keys: readonly string[], options?: { readonly signal?: AbortSignal }): Promise<void>
  /** Releases sockets and handles. */
  close(): Promise<void>
}
