import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { StorageRequestError, StorageUsageError } from './errors.js'
import { agentToken, httpOptionsFromFlags, isHttpLocation } from './http-config.js'
import { openStorage } from './open-storage.js'
import { openRepositoryStorage } from './repository-location.js'

describe('reaching an agent repository', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-http-config-'))
  const file = join(dir, 'token')
  writeFileSync(file, '# the agent\n\n  file-token-0123456789  \n')

  it('reads the token from --token-file, TIDEMARK_TOKEN_FILE, then TIDEMARK_TOKEN', () => {
    expect(agentToken(file, { TIDEMARK_TOKEN: 'env-token' })).toBe('file-token-0123456789')
    expect(agentToken(undefined, { TIDEMARK_TOKEN_FILE: file, TIDEMARK_TOKEN: 'env-token' })).toBe('file-token-0123456789')
    expect(agentToken(undefined, { TIDEMARK_TOKEN: ' env-token ' })).toBe('env-token')
    expect(() => agentToken(undefined, {})).toThrow(/needs a token: give --token-file FILE or set TIDEMARK_TOKEN/)
    expect(() => agentToken(join(dir, 'none'), {})).toThrow(/cannot be read \(ENOENT\)/)
    const empty = join(dir, 'empty')
    writeFileSync(empty, '# nothing\n')
    expect(() => agentToken(empty, {})).toThrow(StorageUsageError)
  })

  it('takes the deadline and retries from the environment, refusing nonsense', () => {
    expect(httpOptionsFromFlags({ tokenFile: file }, { TIDEMARK_HTTP_TIMEOUT: '7', TIDEMARK_HTTP_RETRIES: '0' })).toMatchObject({
      token: 'file-token-0123456789',
      timeoutMs: 7000,
      retry: { attempts: 1 },
    })
    expect(() => httpOptionsFromFlags({ tokenFile: file }, { TIDEMARK_HTTP_TIMEOUT: '0' })).toThrow(/TIDEMARK_HTTP_TIMEOUT="0"/)
  })

  it('opens http(s):// locations with the agent driver, lazily, and only with a token', async () => {
    expect(isHttpLocation('https://agent:7433')).toBe(true)
    expect(isHttpLocation('s3://bucket')).toBe(false)
    await expect(openStorage('http://127.0.0.1:1')).rejects.toThrow(/needs its token/)
    const storage = await openRepositoryStorage('http://127.0.0.1:1/', { tokenFile: file }, { TIDEMARK_HTTP_RETRIES: '1' })
    expect(storage.url).toBe('http://127.0.0.1:1')
    // Nothing listens on port 1: one clear request error, no hang.
    await expect(storage.head('k')).rejects.toThrow(StorageRequestError)
    await expect(storage.head('k')).rejects.toThrow(/^HEAD k at http:\/\/127\.0\.0\.1:1 failed: ECONNREFUSED/)
    await storage.close()
    await expect(openRepositoryStorage('http://user:pw@agent:7433', { tokenFile: file }, {})).rejects.toThrow(/without credentials or query/)
  })
})
