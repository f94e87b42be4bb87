import { existsSync } from 'node:fs'
import { mkdtemp, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { scratchDir } from '@tidemark/test-fixtures'
import { describe, expect, it } from 'vitest'
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

describe('PosixStorage directories', () => {
  it('removes the directories a delete emptied, never the root or a directory still holding keys', async () => {
    const root = join(await mkdtemp(join(scratchDir('storage-posix'), 'r-')), 'repo')
    const storage = new PosixStorage(root)
    await storage.put('backups/a/data/base.tar', Buffer.from('1'))
    await storage.put('backups/a/backup.json', Buffer.from('2'))
    await storage.put('backups/b/backup.json', Buffer.from('3'))
    await storage.delete(['backups/a/data/base.tar'])
    expect(existsSync(join(root, 'backups/a/data'))).toBe(false)
    expect(existsSync(join(root, 'backups/a'))).toBe(true)
    await storage.delete(['backups/a/backup.json', 'backups/b/backup.json'])
    expect(existsSync(join(root, 'backups'))).toBe(false)
    expect(existsSync(root)).toBe(true)
    // A put into a directory a delete just removed makes it again.
    await storage.put('backups/a/backup.json', Buffer.from('4'))
    expect(existsSync(join(root, 'backups/a/backup.json'))).toBe(true)
  })

  it('leaves no directory behind that a failed put made for nothing', async () => {
    const root = join(await mkdtemp(join(scratchDir('storage-posix'), 'r-')), 'repo')
    const storage = new PosixStorage(root)
    await storage.put('backups/kept.json', Buffer.from('1'))
    const failing = (async function* (): AsyncGenerator<Buffer> {
      yield Buffer.from('part of a body')
      throw new Error('the source failed')
    })()
    await expect(storage.put('backups/b/data/base.tar', failing)).rejects.toThrow('the source failed')
    expect(existsSync(join(root, 'backups/b'))).toBe(false)
    expect(await readdir(join(root, 'backups'))).toEqual(['kept.json'])
  })
})
