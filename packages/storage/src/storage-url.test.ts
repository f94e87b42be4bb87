import { describe, expect, it } from 'vitest'
import { StorageUsageError } from './errors.js'
import { formatStorageUrl, parseStorageUrl } from './storage-url.js'

describe('parseStorageUrl', () => {
  it('reads a bucket and a prefix from s3:// URLs, trailing slashes dropped', () => {
    expect(parseStorageUrl('s3://my-bucket/a/b/')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: 'a/b' })
    expect(parseStorageUrl('s3://my-bucket')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' })
    expect(parseStorageUrl('s3://my-bucket/')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' })
    expect(parseStorageUrl('S3://b.dots.ok/p')).toEqual({ kind: 's3', bucket: 'b.dots.ok', prefix: 'p' })
  })

  it('reads paths and file:// URLs as directories, relative to cwd', () => {
    expect(parseStorageUrl('/var/backups')).toEqual({ kind: 'posix', path: '/var/backups' })
    expect(parseStorageUrl('repo/x', '/home/u')).toEqual({ kind: 'posix', path: '/home/u/repo/x' })
    expect(parseStorageUrl('file:///srv/r')).toEqual({ kind: 'posix', path: '/srv/r' })
  })

  it('refuses bad buckets, prefixes, other schemes and credentials in the URL', () => {
    for (const bad of ['', 's3://', 's3://Upper', 's3://a', 's3://a..b/x', 's3://b_x/y', 's3://bucket/a//b', 's3://bucket/../x',
      's3://key:secret@bucket/x', 's3://bucket/x?versionId=1', 'gs://bucket/x', 'http://host/x']) {
      expect(() => parseStorageUrl(bad), bad).toThrow(StorageUsageError)
    }
  })

  it('never echoes credentials of a refused URL', () => {
    expect(() => parseStorageUrl('s3://AKIA:SECRET@bucket/x')).toThrow(/^(?!.*SECRET)/)
  })

  it('formats a location back', () => {
    expect(formatStorageUrl(parseStorageUrl('s3://bucket/p/q'))).toBe('s3://bucket/p/q')
    expect(formatStorageUrl(parseStorageUrl('s3://bucket'))).toBe('s3://bucket')
    expect(formatStorageUrl(parseStorageUrl('/srv/x'))).toBe('/srv/x')
  })
})
