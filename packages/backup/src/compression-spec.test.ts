import { describe, expect, it } from 'vitest'
import { checkCompressionForFormat, compressionSuffix, parseCompressionSpec } from './compression-spec.js'

describe('parseCompressionSpec', () => {
  it('reads a bare gs_basebackup level as gzip, 0 as none', () => {
    expect(parseCompressionSpec('9')).toEqual({ location: 'client', method: 'gzip', level: 9 })
    expect(parseCompressionSpec('0')).toEqual({ location: 'client', method: 'none', level: undefined })
  })

  it('refuses a bare level above 9', () => {
    expect(() => parseCompressionSpec('10')).toThrow('compression level must be between 0 and 9 ("10")')
  })

  it('reads methods with locations and levels', () => {
    expect(parseCompressionSpec('server-zstd:level=5')).toEqual({ location: 'server', method: 'zstd', level: 5 })
    expect(parseCompressionSpec('client-lz4:3')).toEqual({ location: 'client', method: 'lz4', level: 3 })
    expect(parseCompressionSpec('gzip')).toEqual({ location: 'client', method: 'gzip', level: undefined })
    expect(parseCompressionSpec('none')).toEqual({ location: 'client', method: 'none', level: undefined })
  })

  it('refuses unknown methods, bad levels and levels out of range', () => {
    expect(() => parseCompressionSpec('brotli')).toThrow(/unrecognized compression method "brotli"/)
    expect(() => parseCompressionSpec('gzip:fast')).toThrow('invalid compression level "fast" in "gzip:fast"')
    expect(() => parseCompressionSpec('gzip:10')).toThrow('gzip compression level must be between 1 and 9 ("gzip:10")')
    expect(() => parseCompressionSpec('lz4:13')).toThrow(/between 1 and 12/)
    expect(() => parseCompressionSpec('zstd:23')).toThrow(/between 1 and 22/)
    expect(() => parseCompressionSpec('none:1')).toThrow(/takes no level/)
    expect(() => parseCompressionSpec('gzip:1:2')).toThrow(/invalid compression specification/)
  })
})

describe('checkCompressionForFormat', () => {
  it('refuses client-side compression of a plain backup', () => {
    expect(() => checkCompressionForFormat(parseCompressionSpec('gzip'), 'plain')).toThrow(/only tar mode/)
  })

  it('allows server-side compression of a plain backup and anything in tar', () => {
    expect(() => checkCompressionForFormat(parseCompressionSpec('server-gzip'), 'plain')).not.toThrow()
    expect(() => checkCompressionForFormat(parseCompressionSpec('zstd'), 'tar')).not.toThrow()
  })
})

describe('compressionSuffix', () => {
  it('names each method as pg_basebackup does', () => {
    expect(['none', 'gzip', 'lz4', 'zstd'].map((m) => compressionSuffix(m as 'gzip'))).toEqual(['', '.gz', '.lz4', '.zst'])
  })
})
