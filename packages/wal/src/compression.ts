// Compression of archived WAL: gzip (node:zlib), lz4 frames (lz4-napi) and zstd (@mongodb-js/zstd).
// Every codec is loaded on first use, so a plain push or get pays for none of them.
import type * as ZstdModule from '@mongodb-js/zstd'
import type * as Lz4Module from 'lz4-napi'
import { WalCodecError, WalCorruptError, WalUsageError } from './errors.js'

/**
 * zlib's output buffer: its 16 kB default makes a pool round trip through the main thread for every
 * 16 kB a 16 MB segment gives.
 */
const ZLIB_CHUNK = 1024 * 1024

/** gzip members a file is compressed as (one per core here), from this size on. */
const GZIP_MEMBERS = 2
const GZIP_SPLIT_MINIMUM = 1024 * 1024

function splitEvenly(bytes: Buffer, parts: number): Buffer[] {
  const size = Math.ceil(bytes.byteLength / parts)
  return Array.from({ length: parts }, (_, index) => bytes.subarray(index * size, Math.min(bytes.byteLength, (index + 1) * size)))
}

export type WalCompression = 'none' | 'gzip' | 'lz4' | 'zstd'

export const WAL_COMPRESSIONS: readonly WalCompression[] = ['none', 'gzip', 'lz4', 'zstd']

export interface CompressionSpec {
  readonly method: WalCompression
  /** The level; undefined for the codec's default. */
  readonly level?: number
}

const LEVELS: Record<WalCompression, readonly [number, number] | undefined> = {
  none: undefined,
  gzip: [1, 9],
  lz4: undefined,
  zstd: [1, 22],
}

/** Parses `--compress`: `none`, `gzip[:1-9]`, `lz4`, `zstd[:1-22]`. */
export function parseCompressionSpec(text: string): CompressionSpec {
  const [method, level, extra] = text.trim().toLowerCase().split(':')
  if (!isCompression(method) || extra !== undefined) {
    throw new WalUsageError(`--compress "${text}": expected none, gzip[:level], lz4 or zstd[:level]`)
  }
  if (level === undefined) {
    return { method }
  }
  const range = LEVELS[method]
  const value = Number(level)
  if (!range) {
    throw new WalUsageError(`--compress "${text}": ${method} takes no level`)
  }
  if (!/^\d+$/.test(level) || value < range[0] || value > range[1]) {
    throw new WalUsageError(`--compress "${text}": the ${method} level must be an integer from ${range[0]} to ${range[1]}`)
  }
  return { method, level: value }
}

export function isCompression(text: string | undefined): text is WalCompression {
  return (WAL_COMPRESSIONS as readonly (string | undefined)[]).includes(text)
}

/** Compresses bytes with spec. */
export async function compressWal(bytes: Buffer, spec: CompressionSpec): Promise<Buffer> {
  switch (spec.method) {
    case 'none':
      return bytes
    case 'gzip': {
      const zlib = await import('node:zlib')
      const { promisify } = await import('node:util')
      const gzip = promisify(zlib.gzip)
      // Independent gzip members, compressed at once on the thread pool (both cores), concatenated:
      // every gzip reader, gunzip included, reads them as one stream.
      const parts = splitEvenly(bytes, bytes.byteLength >= GZIP_SPLIT_MINIMUM ? GZIP_MEMBERS : 1)
      const members = await Promise.all(parts.map((part) => gzip(part, { level: spec.level ?? 6, chunkSize: ZLIB_CHUNK })))
      return members.length === 1 ? (members[0] as Buffer) : Buffer.concat(members)
    }
    case 'lz4':
      return (await lz4()).compressFrame(bytes)
    case 'zstd':
      return (await zstd()).compress(bytes, spec.level ?? 3)
  }
}

/** Decompresses bytes stored with method; a damaged stream is a WalCorruptError. */
export async function decompressWal(bytes: Buffer, method: WalCompression, what: string): Promise<Buffer> {
  if (method === 'none') {
    return bytes
  }
  const codec = method === 'gzip' ? undefined : method === 'lz4' ? await lz4() : await zstd()
  try {
    if (method === 'gzip') {
      const zlib = await import('node:zlib')
      const { promisify } = await import('node:util')
      return await promisify(zlib.gunzip)(bytes, { chunkSize: ZLIB_CHUNK })
    }
    if (method === 'lz4') {
      return await (codec as Lz4).decompressFrame(bytes)
    }
    return await (codec as Zstd).decompress(bytes)
  } catch (error) {
    throw new WalCorruptError(`${what}: the ${method} data does not decompress (${(error as Error).message})`, { cause: error })
  }
}

type Lz4 = typeof Lz4Module
type Zstd = typeof ZstdModule

async function lz4(): Promise<Lz4> {
  try {
    return await import('lz4-napi')
  } catch (error) {
    throw new WalCodecError(`lz4 is not available: lz4-napi did not load (${(error as Error).message})`, { cause: error })
  }
}

async function zstd(): Promise<Zstd> {
  try {
    return await import('@mongodb-js/zstd')
  } catch (error) {
    throw new WalCodecError(`zstd is not available: @mongodb-js/zstd did not load (${(error as Error).message})`, { cause: error })
  }
}
