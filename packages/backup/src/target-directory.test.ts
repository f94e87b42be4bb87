import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CleanupTracker, INCOMPLETE_MARKER } from './cleanup-tracker.js'
import { checkTargetDirectory, prepareTargetDirectory } from './target-directory.js'

const scratch = (): string => mkdtempSync(join(tmpdir(), 'tidemark-target-'))

describe('prepareTargetDirectory', () => {
  it('creates a missing directory with its parents, mode 0700, and removes them all on cleanup', async () => {
    const root = scratch()
    const tracker = new CleanupTracker()
    const target = await prepareTargetDirectory(join(root, 'a', 'b'), tracker)
    expect(statSync(target).mode & 0o777).toBe(0o700)
    writeFileSync(join(target, 'file'), 'x')
    await tracker.cleanup()
    expect(readdirSync(root)).toEqual([])
  })

  it('adopts an empty directory and on cleanup empties it but keeps it', async () => {
    const root = scratch()
    const tracker = new CleanupTracker()
    await prepareTargetDirectory(root, tracker)
    mkdirSync(join(root, 'base'))
    await tracker.cleanup()
    expect(existsSync(root)).toBe(true)
    expect(readdirSync(root)).toEqual([])
  })

  it('refuses a non-empty directory and changes nothing', async () => {
    const root = scratch()
    writeFileSync(join(root, 'precious'), 'keep me')
    await expect(checkTargetDirectory(root)).rejects.toMatchObject({ code: 'TIDEMARK_ERR_BACKUP_TARGET_NOT_EMPTY', exitCode: 3 })
    await expect(prepareTargetDirectory(root, new CleanupTracker())).rejects.toThrow(/exists but is not empty/)
    expect(readdirSync(root)).toEqual(['precious'])
  })

  it('refuses a file where the directory should be', async () => {
    const root = scratch()
    writeFileSync(join(root, 'file'), '')
    await expect(checkTargetDirectory(join(root, 'file'))).rejects.toThrow(/exists and is not a directory/)
  })

  it('marks a kept failed run as incomplete', async () => {
    const root = scratch()
    const tracker = new CleanupTracker()
    const target = await prepareTargetDirectory(join(root, 'backup'), tracker)
    await tracker.markIncomplete('connection lost')
    expect(readdirSync(target)).toEqual([INCOMPLETE_MARKER])
  })
})
