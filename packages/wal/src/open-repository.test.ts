import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DirectoryWalRepository } from './directory-repository.js'
import { HttpWalRepository } from './http-repository.js'
import { openWalRepository } from './open-repository.js'
import { tempDir } from './testing/temp-dir.js'

describe('open-repository', () => {
  it('takes --repo first, then TIDEMARK_REPO, and refuses none or an unknown scheme', () => {
    expect(openWalRepository('/a', { TIDEMARK_REPO: '/b' }).location).toBe('/a')
    expect(openWalRepository(undefined, { TIDEMARK_REPO: '/b' })).toBeInstanceOf(DirectoryWalRepository)
    expect(openWalRepository(undefined, { TIDEMARK_REPO: '/b' }).location).toBe('/b')
    expect(() => openWalRepository(undefined, {})).toThrow(/--repo DIR|s3:\/\/bucket\/prefix or set TIDEMARK_REPO/)
    expect(() => openWalRepository('  ', {})).toThrow(/--repo/)
    expect(() => openWalRepository('ftp://host/repo', {})).toThrow(/only directories, s3:\/\/bucket\/prefix and http\(s\)/)
  })

  it('opens an agent URL with the token from --token-file, TIDEMARK_TOKEN_FILE or TIDEMARK_TOKEN', () => {
    const dir = tempDir()
    const file = join(dir, 'token')
    writeFileSync(file, '# agent\nfile-token-0123456789\n')
    expect(openWalRepository('https://agent:7433', {}, { tokenFile: file })).toBeInstanceOf(HttpWalRepository)
    expect(openWalRepository('http://agent:7433/', { TIDEMARK_TOKEN_FILE: file }).location).toBe('http://agent:7433')
    expect(openWalRepository(undefined, { TIDEMARK_REPO: 'http://agent:7433', TIDEMARK_TOKEN: 'env-token-0123456789' })).toBeInstanceOf(HttpWalRepository)
    expect(() => openWalRepository('https://agent:7433', {})).toThrow(/needs a token: give --token-file FILE or set TIDEMARK_TOKEN/)
    expect(() => openWalRepository('https://agent:7433', {}, { tokenFile: join(dir, 'none') })).toThrow(/cannot be read \(ENOENT\)/)
  })
})
