// Codec names and levels: `gzip|lz4|zstd|none[:level]` (also `:level=N`, as PostgreSQL writes it).
import { CompressionSpecError } from './errors.js'

export const CODECS = ['none', 'gzip', 'lz4', 'zstd'] as const
export type Codec = (typeof CODECS)[number]

export interface CodecSpec {
  readonly codec: Codec
  /** Always set: the default is filled in (gzip 6, lz4 1, zstd 3, none 0). */
  readonly level: number
}

export const CODEC_LEVELS: Readonly<Record<Codec, { min: number; max: number; default: number }>> = {
  none: { min: 0, max: 0, default: 0 },
  gzip: { min: 1, max: 9, default: 6 },
  lz4: { min: 1, max: 12, default: 1 },
  zstd: { min: 1, max: 22, default: 3 },
}

/** The file name suffix of a codec's output: `.gz`, `.lz4`, `.zst`, ''. */
export function codecSuffix(codec: Codec): string {
  return { none: '', gzip: '.gz', lz4: '.lz4', zstd: '.zst' }[codec]
}

/** A spec with the codec's default level, or the given level after a range check. */
export function codecSpec(codec: Codec, level?: number): CodecSpec {
  const range = CODEC_LEVELS[codec]
  if (level === undefined) {
    return { codec, level: range.default }
  }
  if (!Number.isInteger(level) || level < range.min || level > range.max) {
    throw new CompressionSpecError(
      codec === 'none'
        ? 'compression "none" takes no level'
        : `${codec} compression level must be between ${range.min} and ${range.max}, not ${level}`
    )
  }
  return { codec, level }
}

/** Parses `gzip`, `zstd:9`, `lz4:level=3`, `none`. */
export function parseCodecSpec(text: string): CodecSpec {
  const [name = '', detail, extra] = text.trim().split(':')
  const codec = CODECS.find((candidate) => candidate === name.toLowerCase())
  if (!codec || extra !== undefined) {
    throw new CompressionSpecError(`invalid compression "${text}"; use gzip, lz4, zstd or none, optionally with :LEVEL`)
  }
  if (detail === undefined || detail === '') {
    return codecSpec(codec)
  }
  const levelText = detail.startsWith('level=') ? detail.slice('level='.length) : detail
  if (!/^\d+$/.test(levelText)) {
    throw new CompressionSpecError(`invalid compression level "${detail}" in "${text}"`)
  }
  return codecSpec(codec, Number(levelText))
}
