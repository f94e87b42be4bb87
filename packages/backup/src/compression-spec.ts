import { CODEC_LEVELS, codecSuffix } from '@tidemark/archive'
import { CompressionSpecError } from './errors.js'

export const COMPRESSION_METHODS = ['none', 'gzip', 'lz4', 'zstd'] as const
export type CompressionMethod = (typeof COMPRESSION_METHODS)[number]

export interface CompressionSpec {
  /** client: Tidemark compresses what it writes; server: PostgreSQL 15+ compresses what it sends. */
  readonly location: 'client' | 'server'
  readonly method: CompressionMethod
  /** undefined means the method's default level. */
  readonly level: number | undefined
}

export const NO_COMPRESSION: CompressionSpec = Object.freeze({ location: 'client', method: 'none', level: undefined })

/** The file suffix compressed archives get: `.gz`, `.lz4`, `.zst`, or none. */
export function compressionSuffix(method: CompressionMethod): string {
  return codecSuffix(method)
}

function parseLevel(method: CompressionMethod, detail: string, spec: string): number {
  const text = detail.startsWith('level=') ? detail.slice('level='.length) : detail
  if (!/^-?\d+$/.test(text)) {
    throw new CompressionSpecError(`invalid compression level "${detail}" in "${spec}"`)
  }
  const level = Number(text)
  if (method === 'none') {
    throw new CompressionSpecError(`compression method "none" takes no level ("${spec}")`)
  }
  const { min, max } = CODEC_LEVELS[method]
  if (level < min || level > max) {
    throw new CompressionSpecError(`${method} compression level must be between ${min} and ${max} ("${spec}")`)
  }
  return level
}

/**
 * Parses `-Z`/`--compress` as gs_basebackup and pg_basebackup accept it: a bare level 0–9 (gzip, 0 is
 * none), or `[client-|server-]METHOD[:LEVEL|:level=LEVEL]` with METHOD gzip, lz4, zstd or none.
 */
export function parseCompressionSpec(spec: string): CompressionSpec {
  const trimmed = spec.trim()
  if (/^\d+$/.test(trimmed)) {
    const level = Number(trimmed)
    if (level > 9) {
      throw new CompressionSpecError(`compression level must be between 0 and 9 ("${spec}")`)
    }
    return level === 0 ? NO_COMPRESSION : { location: 'client', method: 'gzip', level }
  }
  let rest = trimmed
  let location: CompressionSpec['location'] = 'client'
  for (const prefix of ['client-', 'server-'] as const) {
    if (rest.startsWith(prefix)) {
      location = prefix === 'client-' ? 'client' : 'server'
      rest = rest.slice(prefix.length)
    }
  }
  const [methodText = '', detail, extra] = rest.split(':')
  if (extra !== undefined) {
    throw new CompressionSpecError(`invalid compression specification "${spec}"`)
  }
  const method = COMPRESSION_METHODS.find((candidate) => candidate === methodText.toLowerCase())
  if (!method) {
    throw new CompressionSpecError(
      `unrecognized compression method "${methodText}" in "${spec}"; use gzip, lz4, zstd or none, optionally with client- or server- and :LEVEL`
    )
  }
  const level = detail === undefined || detail === '' ? undefined : parseLevel(method, detail, spec)
  return { location, method, level }
}

/** `-z` alone: client-side gzip at the default level. */
export const GZIP_DEFAULT: CompressionSpec = Object.freeze({ location: 'client', method: 'gzip', level: undefined })

/** Compression only makes sense for tar output unless the server compresses and the client unpacks. */
export function checkCompressionForFormat(spec: CompressionSpec, format: 'plain' | 'tar'): void {
  if (format === 'plain' && spec.method !== 'none' && spec.location === 'client') {
    throw new CompressionSpecError('only tar mode backups can be compressed (use -F tar, or server-side compression)')
  }
}
