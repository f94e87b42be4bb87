// One archive from BASE_BACKUP, written the way the chosen format wants it: extracted into a
// directory (plain), or stored as a POSIX tar file, optionally compressed (tar). openGauss's gs_tar
// is converted to POSIX tar on the fly; server-compressed archives are decompressed for plain.
import { Readable, Transform, type TransformCallback } from 'node:stream'
import { finished, pipeline } from 'node:stream/promises'
import {
  TarPushParser,
  createCompressor,
  extractEntries,
  gsTarToTar,
  openArchive,
  openExtraction,
  type CodecSpec,
  type ExtractOptions,
  type TarHeader,
} from '@tidemark/archive'
import type { ArchiveSink } from '@tidemark/wire'
import { storeThrough, type ArchiveDestination } from './backup-output.js'

/**
 * Buffering between the network and the disk: a write in flight on libuv's pool while the next
 * megabytes arrive, written together (writev). Small buffers make every 32 kB chunk wait for the
 * previous write, a latency per chunk that capped throughput at a third of pg_basebackup's.
 */
export const STAGE_BUFFER: number = 1024 * 1024
export const FILE_BUFFER: number = 4 * 1024 * 1024

/** Counts the bytes that pass, for progress and the result's size. */
export class ByteCounter extends Transform {
  bytes = 0

  constructor(private readonly onBytes?: (bytes: number) => void) {
    super({ highWaterMark: STAGE_BUFFER })
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length
    this.onBytes?.(chunk.length)
    callback(null, chunk)
  }
}

/** Appends tar's end-of-archive marker (two zero blocks), which PostgreSQL 13–14 do not send. */
class EndMarker extends Transform {
  constructor() {
    super({ highWaterMark: STAGE_BUFFER })
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    callback(null, chunk)
  }

  override _flush(callback: TransformCallback): void {
    callback(null, Buffer.alloc(1024))
  }
}

export interface WriteArchiveOptions {
  /** A new file (fileDestination) or a file of a backup in a repository (repositoryDestination). */
  readonly destination: ArchiveDestination
  /** The bytes are openGauss gs_tar: convert to POSIX tar. */
  readonly gsTar: boolean
  /** Append the end-of-archive marker the server left out. */
  readonly appendEndMarker: boolean
  /** Client-side compression, or undefined. */
  readonly compression: CodecSpec | undefined
  readonly archive: string
  /** Uncompressed archive bytes as they arrive from the server. */
  readonly onBytes?: ((bytes: number) => void) | undefined
  readonly signal?: AbortSignal | undefined
}

/** Calls onBytes with the length of every chunk that passes through stream, without adding a stage. */
function countChunks(stream: Readable, onBytes: (bytes: number) => void): void {
  // A second 'data' listener beside the pipe's: every stage costs a few microseconds per 32 kB chunk,
  // and two counting stages were a tenth of a tar backup's time.
  stream.on('data', (chunk: Buffer) => onBytes(chunk.length))
}

/** Stores one server archive (a new file, never overwriting; or a repository object). Returns the bytes written. */
export async function writeServerArchive(source: Readable, options: WriteArchiveOptions): Promise<number> {
  const stages: Readable[] = [source]
  if (options.onBytes) {
    countChunks(source, options.onBytes)
  }
  if (options.gsTar) {
    stages.push(gsTarToTar(source, { archive: options.archive }))
  } else if (options.appendEndMarker) {
    stages.push(new EndMarker())
  }
  if (options.compression && options.compression.codec !== 'none') {
    stages.push(createCompressor(options.compression))
  }
  let written = 0
  countChunks(stages.at(-1) as Readable, (bytes) => {
    written += bytes
  })
  // gsTarToTar iterates its source itself (a failing source fails it): the pipeline starts after it.
  const piped = options.gsTar ? stages.slice(1) : stages
  // pipeline's overloads cannot type a stage list built at run time.
  const runPipeline = pipeline as unknown as (...args: unknown[]) => Promise<void>
  await storeThrough(options.destination, runPipeline(...piped, options.destination.stream, ...(options.signal ? [{ signal: options.signal }] : [])))
  return written
}

export interface ExtractArchiveOptions {
  readonly targetDir: string
  readonly archive: string
  /** Directories outside targetDir that links in the archive may lead to (tablespaces, --waldir). */
  readonly allowedRoots: readonly string[]
  readonly sync: boolean
  /** Changes an entry's header before it is written, or drops the entry (undefined). */
  readonly rewrite?: ((header: TarHeader) => TarHeader | undefined) | undefined
  readonly onBytes?: ((bytes: number) => void) | undefined
  readonly onEntry?: ((header: TarHeader) => void) | undefined
}

/** The archive package's extract options for a server archive. */
function extractOptions(options: ExtractArchiveOptions): ExtractOptions {
  const rewrite = options.rewrite
  return {
    archive: options.archive,
    allowedRoots: options.allowedRoots,
    sync: options.sync,
    // As pg_basebackup's plain format: files get the time they are written, not the server's mtimes.
    preserveTimes: false,
    ...(rewrite ? { rewrite: (header: TarHeader) => rewrite(header) ?? null } : {}),
    ...(options.onEntry ? { onEntry: options.onEntry } : {}),
  }
}

/**
 * Reads what is left of a server archive after the tar reader stopped at the end-of-archive
 * marker: the connection only moves on once the archive's stream has been read to its end.
 */
export async function drainRest(source: Readable): Promise<void> {
  if (source.readableEnded || source.destroyed) {
    return
  }
  source.unpipe()
  await finished(source.resume(), { writable: false })
}

/**
 * The chunks of source, counted as they are read — no stream stage, whose buffer a byte-mode read()
 * would hand on concatenated. The source is not destroyed when the reader stops early (at the
 * end-of-archive marker): drainRest reads what is left.
 */
async function* countedChunks(source: Readable, onBytes: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of source.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>) {
    onBytes(chunk.length)
    yield chunk
  }
}

/** Extracts one server archive (tar or gs_tar, compressed by the server or not) into a directory. */
export async function extractServerArchive(source: Readable, options: ExtractArchiveOptions): Promise<void> {
  const opened = await openArchive(countedChunks(source, options.onBytes ?? (() => undefined)), {
    archive: options.archive,
    requireEndMarker: false,
  })
  await extractEntries(opened.entries, options.targetDir, extractOptions(options))
  await drainRest(source)
}

/**
 * extractServerArchive's fast path for an uncompressed archive (tar, or gs_tar with `gsTar`): each
 * piece goes from the socket's read buffer through a synchronous tar parser into the files.
 */
export async function extractServerArchiveDirect(
  readInto: (sink: ArchiveSink) => Promise<void>,
  options: ExtractArchiveOptions & { readonly gsTar: boolean }
): Promise<void> {
  const extraction = await openExtraction(options.targetDir, extractOptions(options))
  const parser = new TarPushParser({ archive: options.archive, format: options.gsTar ? 'gs_tar' : 'tar', onEntry: (header) => extraction.entry(header) })
  const onBytes = options.onBytes
  try {
    await readInto({
      write: (bytes) => {
        onBytes?.(bytes.length)
        parser.push(bytes)
      },
      flush: () => parser.flush(),
    })
    parser.finish()
  } catch (error) {
    extraction.abandon()
    throw error
  }
  await extraction.finish()
}

/** Reads a small stream (the manifest) whole. */
export async function readAll(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of source) {
    chunks.push(Buffer.from(chunk))
  }
  return Buffer.concat(chunks)
}

export { Readable }
