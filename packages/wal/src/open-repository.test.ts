import { describe, expect, it } from 'vitest'
import { DirectoryWalRepository } from './directory-repository.js'
import { openWalRepository } from './open-repository.js'

describe('open-repository', () => {
  it('takes --repo first, then TIDEMARK_REPO, and refuses none or a URL', () => {
    expect(openWalRepository('/a', { TIDEMARK_REPO: '/b' }).location).toBe('/a')
    expect(openWalRepository(undefined, { TIDEMARK_REPO: '/b' })).toBeInstanceOf(DirectoryWalRepository)
    expect(openWalRepository(undefined, { TIDEMARK_REPO: '/b' }).location).toBe('/b')
    expect(() => openWalRepository(undefined, {})).toThrow(/--repo DIR or set TIDEMARK_REPO/)
    expect(() => openWalRepository('  ', {})).toThrow(/--repo/)
    expect(() => openWalRepository('https://host/repo', {})).toThrow(/only directory repositories/)
  })
})
