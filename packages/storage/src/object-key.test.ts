import { describe, expect, it } from 'vitest'
import { StorageUsageError } from './errors.js'
import { checkKey, checkPrefix } from './object-key.js'

describe('checkKey', () => {
  it('accepts relative /-separated keys', () => {
    for (const key of ['a', 'a/b/c.tar.gz', 'wal/000000010000000000000001', 'sp ace+ü=&']) {
      expect(checkKey(key)).toBe(key)
    }
  })

  it('refuses keys that could escape a directory or are empty', () => {
    for (const bad of ['', '/a', 'a/', 'a//b', '../a', 'a/./b', 'a/..', 'a\0b', 'a/.tidemark-x', '.tidemark-claim', 'x'.repeat(1025)]) {
      expect(() => checkKey(bad), JSON.stringify(bad)).toThrow(StorageUsageError)
    }
  })

  it('accepts an empty prefix and prefixes ending with /', () => {
    expect(checkPrefix('')).toBe('')
    expect(checkPrefix('a/b/')).toBe('a/b/')
    expect(checkPrefix('a/0')).toBe('a/0')
    expect(() => checkPrefix('../')).toThrow(StorageUsageError)
  })
})
