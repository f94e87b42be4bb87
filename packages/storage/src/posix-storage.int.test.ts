import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import { scratchDir } from '@tidemark/test-fixtures'
import { describe } from 'vitest'
import { PosixStorage } from './posix-storage.js'
import { storageContract } from './testing/storage-contract.js'

describe('PosixStorage (driver contract)', () => {
  storageContract({
    open: async () => new PosixStorage(join(await mkdtemp(join(scratchDir('storage-posix'), 'r-')), 'repo')),
    largeSize: 24 * 1024 * 1024,
  })
})
