import { describe, expect, it } from 'vitest'
import { StorageUsageError } from './errors.js'
import { listQuery, objectPath, parseObjectsPage, parseRangeHeader, rangeHeader } from './http-protocol.js'

describe('the agent object protocol', () => {
  it('puts a key in the path segment by segment, percent-encoded', () => {
    expect(objectPath('backups/20261124T101010Z-abcdef/backup.json')).toBe('/v1/objects/backups/20261124T101010Z-abcdef/backup.json')
    expect(objectPath('a b/100%/#?&')).toBe('/v1/objects/a%20b/100%25/%23%3F%26')
  })

  it('asks for a listing page by prefix, size and the key it continues after', () => {
    expect(listQuery('wal/', 5, undefined)).toBe('/v1/objects?prefix=wal%2F&limit=5')
    expect(listQuery('', 1000, 'wal/0000/x y')).toBe('/v1/objects?prefix=&limit=1000&after=wal%2F0000%2Fx+y')
  })

  it('writes and reads one byte range, open-ended or not', () => {
    expect(rangeHeader('k', { start: 100, end: 199 })).toBe('bytes=100-199')
    expect(rangeHeader('k', { start: 9990 })).toBe('bytes=9990-')
    expect(() => rangeHeader('k', { start: 3, end: 1 })).toThrow(StorageUsageError)
    expect(() => rangeHeader('k', { start: -1 })).toThrow(StorageUsageError)
    expect(parseRangeHeader('bytes=100-199')).toEqual({ start: 100, end: 199 })
    expect(parseRangeHeader('bytes=5-')).toEqual({ start: 5 })
    expect(parseRangeHeader(undefined)).toBeUndefined()
    for (const bad of ['bytes=-5', 'bytes=1-2,4-5', 'items=1-2', 'bytes=9-3']) {
      expect(() => parseRangeHeader(bad), bad).toThrow(StorageUsageError)
    }
  })

  it('reads a listing page, refusing a malformed one rather than listing short', () => {
    const page = parseObjectsPage({ objects: [{ key: 'a', size: 3, lastModified: '2026-11-24T10:00:00.123Z' }], next: 'a' }, 'http://agent')
    expect(page).toEqual({ objects: [{ key: 'a', size: 3, lastModified: new Date('2026-11-24T10:00:00.123Z') }], next: 'a' })
    expect(parseObjectsPage({ objects: [], next: null }, 'http://agent')).toEqual({ objects: [], next: undefined })
    expect(() => parseObjectsPage({ items: [] }, 'http://agent')).toThrow(/did not answer with a listing page/)
    expect(() => parseObjectsPage({ objects: [{ key: 'a', size: 'x', lastModified: '' }], next: null }, 'http://agent')).toThrow(/malformed listing entry/)
  })
})
