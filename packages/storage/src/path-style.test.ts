import { describe, expect, it } from 'vitest'
import { StorageUsageError } from './errors.js'
import { parseBooleanSetting, usePathStyle } from './path-style.js'

describe('usePathStyle', () => {
  it('is on for IP and localhost endpoints, off for DNS names and AWS', () => {
    expect(usePathStyle('http://127.0.0.1:7480', undefined, {})).toBe(true)
    expect(usePathStyle('https://[::1]:9000', undefined, {})).toBe(true)
    expect(usePathStyle('http://10.1.2.3', undefined, {})).toBe(true)
    expect(usePathStyle('http://localhost:7480', undefined, {})).toBe(true)
    expect(usePathStyle('http://s3.localhost', undefined, {})).toBe(true)
    expect(usePathStyle('https://s3.example.com', undefined, {})).toBe(false)
    expect(usePathStyle(undefined, undefined, {})).toBe(false)
  })

  it('follows TIDEMARK_S3_PATH_STYLE, and an explicit choice over both', () => {
    expect(usePathStyle('https://s3.example.com', undefined, { TIDEMARK_S3_PATH_STYLE: 'true' })).toBe(true)
    expect(usePathStyle('http://127.0.0.1', undefined, { TIDEMARK_S3_PATH_STYLE: '0' })).toBe(false)
    expect(usePathStyle('http://127.0.0.1', undefined, { TIDEMARK_S3_PATH_STYLE: '' })).toBe(true)
    expect(usePathStyle('http://127.0.0.1', false, { TIDEMARK_S3_PATH_STYLE: 'yes' })).toBe(false)
    expect(usePathStyle(undefined, true, {})).toBe(true)
  })

  it('refuses a bad setting or endpoint', () => {
    expect(() => usePathStyle(undefined, undefined, { TIDEMARK_S3_PATH_STYLE: 'maybe' })).toThrow(StorageUsageError)
    expect(() => usePathStyle('not a url', undefined, {})).toThrow(StorageUsageError)
    expect(parseBooleanSetting(' Off ', 'x')).toBe(false)
  })
})
