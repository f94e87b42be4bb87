import { describe, expect, it } from 'vitest'
import type { ArchivedWalInfo } from './archived-file.js'
import { cleanupWal } from './cleanup-wal.js'
import type { WalRepository } from './wal-repository.js'
import { DirectoryWalRepository } from './directory-repository.js'
import { tempDir } from './testing/temp-dir.js'

const INFO: ArchivedWalInfo = { sha256: '0'.repeat(64), size: 1, compression: 'none' }

async function repositoryWith(names: string[]): Promise<WalRepository> {
  const repo = new DirectoryWalRepository(tempDir())
  for (const name of names) {
    await repo.putIfAbsent(name, INFO, Buffer.from('x'))
  }
  return repo
}

const ARCHIVE = [
  '000000010000000000000001',
  '000000010000000000000002',
  '000000010000000000000003.00000028.backup',
  '000000010000000000000003',
  '0000000100000000000000FF',
  '000000010000000100000000',
  '000000010000000100000005',
  '000000010000000100000005.partial',
  '00000002.history',
  '000000020000000100000005',
  '000000020000000100000006',
  '000000020000000100000007',
  '000000030000000100000001',
  '00000003.history',
]

describe('cleanup-wal', () => {
  it('removes older segments and .partial files on %r timeline and earlier ones, keeping history and .backup files', async () => {
    const repo = await repositoryWith(ARCHIVE)
    const result = await cleanupWal({ repository: repo, oldestKept: '000000020000000100000006' })
    expect(result.removed).toEqual([
      '000000010000000000000001',
      '000000010000000000000002',
      '000000010000000000000003',
      '0000000100000000000000FF',
      '000000010000000100000000',
      '000000010000000100000005',
      '000000010000000100000005.partial',
      '000000020000000100000005',
    ])
    expect(await repo.list()).toEqual([
      '000000010000000000000003.00000028.backup',
      '00000002.history',
      '000000020000000100000006',
      '000000020000000100000007',
      '00000003.history',
      '000000030000000100000001',
    ])
  })

  it('removes nothing with -n, and .backup files too with -b', async () => {
    const repo = await repositoryWith(ARCHIVE)
    const dry = await cleanupWal({ repository: repo, oldestKept: '000000010000000000000003', dryRun: true, removeBackupHistory: true })
    expect(dry.removed).toEqual(['000000010000000000000001', '000000010000000000000002'])
    expect(await repo.list()).toHaveLength(ARCHIVE.length)
    const withBackups = await cleanupWal({ repository: repo, oldestKept: '000000010000000000000004', removeBackupHistory: true })
    expect(withBackups.removed).toContain('000000010000000000000003.00000028.backup')
  })

  it('takes %r as a segment, a .partial or .backup name, or with -x its extension stripped', async () => {
    const repo = await repositoryWith(ARCHIVE)
    expect((await cleanupWal({ repository: repo, oldestKept: '000000010000000000000003.00000028.backup', dryRun: true })).oldestKept).toBe(
      '000000010000000000000003'
    )
    expect((await cleanupWal({ repository: repo, oldestKept: '000000010000000000000003.gz', extension: '.gz', dryRun: true })).removed).toHaveLength(2)
    expect((await cleanupWal({ repository: repo, oldestKept: '000000010000000000000003.gz', extension: 'gz', dryRun: true })).removed).toHaveLength(2)
    for (const bad of ['00000002.history', '000000010000000000000003.gz', '../000000010000000000000003', '']) {
      await expect(cleanupWal({ repository: repo, oldestKept: bad })).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WAL_BAD_NAME' })
    }
    expect(await repo.list()).toHaveLength(ARCHIVE.length)
  })
})
