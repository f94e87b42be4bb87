import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BackupUsageError } from './errors.js'
import { openBackupRepository } from './repository-open.js'

describe('openBackupRepository', () => {
  it('opens a directory given by the flag, else TIDEMARK_REPO, relative to cwd, creating nothing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tidemark-open-repo-'))
    try {
      const opened = await openBackupRepository('repo', {}, {}, cwd)
      expect(opened.location).toBe('repo')
      expect(opened.repository.url).toBe(join(cwd, 'repo'))
      expect((await openBackupRepository(undefined, {}, { TIDEMARK_REPO: '/srv/r' }, cwd)).repository.url).toBe('/srv/r')
      expect(readdirSync(cwd)).toEqual([])
    } finally {
      rmSync(cwd, { recursive: true, force: true })
    }
  })

  it('refuses a part size under 5 MiB or not a whole number, from the flag or TIDEMARK_S3_PART_SIZE', async () => {
    await expect(openBackupRepository('s3://b/p', { s3PartSize: '4' }, {})).rejects.toBeInstanceOf(BackupUsageError)
    await expect(openBackupRepository('s3://b/p', {}, { TIDEMARK_S3_PART_SIZE: '5.5' })).rejects.toThrow(/whole number of MiB from 5 to 5120/)
  })
})
