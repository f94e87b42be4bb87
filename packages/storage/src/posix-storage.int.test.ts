import { mkdtemp, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { scratchDir } from '@tidemark/test-fixtures'
import { describe, expect } from 'vitest'
import { PosixStorage } from './posix-storage.js'
import { storageContract } from './testing/storage-contract.js'

describe('PosixStorage (driver contract)', () => {
  storageContract({
    open: async () => new PosixStorage(join(await mkdtemp(join(scratchDir('storage-posix'), 'r-')), 'repo')),
    largeSize: 24 * 1024 * 1024,
    assertNothingLeft: async (storage) => {
      const entries = await readdir(storage.url, { recursive: true, withFileTypes: true }).catch(() => [])
      expect(entries.filter((e) => e.isFile()).map((e) => e.name)).toEqual([])
    },
  })
})
