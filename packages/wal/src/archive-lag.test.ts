import { describe, expect, it } from 'vitest'
import { archiveLag } from './archive-lag.js'

const MB16 = 16 * 1024 * 1024

describe('archiveLag', () => {
  it('counts the completed segments and bytes after the last archived one', () => {
    expect(archiveLag('0/9000100', '000000010000000000000005', MB16)).toEqual({ bytes: 3 * MB16 + 0x100, segments: 3 })
    expect(archiveLag('0/6000000', '000000010000000000000005', MB16)).toEqual({ bytes: 0, segments: 0 })
    expect(archiveLag('1/00000010', '0000000200000000000000FF', MB16)).toEqual({ bytes: 0x10, segments: 0 })
    expect(archiveLag('0/9000100', '000000010000000000000005.partial', MB16)?.segments).toBe(3)
    expect(archiveLag('0/9000100', undefined, MB16)).toBeUndefined()
    expect(archiveLag('0/9000100', '00000002.history', MB16)).toBeUndefined()
  })
})
