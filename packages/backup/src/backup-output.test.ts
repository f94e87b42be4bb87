import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { PosixStorage, StorageExistsError } from '@tidemark/storage'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { repositoryDestination } from './backup-output.js'
import { BackupRepository } from './repository/backup-repository.js'
import { readAll, writeServerArchive } from './server-archive.js'

const ID = '20261124T180000Z-abcdef'
const MIB = 1024 * 1024

/** 12 MiB in 64 kB chunks, pulled as the pipeline asks. */
function source(): Readable {
  let sent = 0
  return new Readable({
    read() {
      sent += 1
      this.push(sent > 192 ? null : Buffer.alloc(64 * 1024, sent % 251))
    },
  })
}

const options = { gsTar: false, appendEndMarker: false, compression: undefined, archive: 'base.tar' }

describe('repositoryDestination', () => {
  let root: string
  let repository: BackupRepository
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tidemark-output-'))
    repository = new BackupRepository(new PosixStorage(root))
  })
  afterEach(() => {
    rmSync(root, { recursive: true, force: true })
  })

  it('stores what the archive pipeline writes, counting the bytes', async () => {
    const bytes = await writeServerArchive(source(), { ...options, destination: repositoryDestination(repository, ID, 'base.tar') })
    expect(bytes).toBe(12 * MIB)
    expect((await readAll(await repository.getFile(ID, 'base.tar'))).length).toBe(12 * MIB)
  })

  it('fails with the storage error when the put fails, without hanging, and never replaces a file', async () => {
    await repository.putFile(ID, 'base.tar', Buffer.from('first'))
    const failure = await writeServerArchive(source(), { ...options, destination: repositoryDestination(repository, ID, 'base.tar') }).catch(
      (error: unknown) => error
    )
    expect(failure).toBeInstanceOf(StorageExistsError)
    expect((await readAll(await repository.getFile(ID, 'base.tar'))).toString()).toBe('first')
  })

  it('leaves nothing when the archive fails part-way', async () => {
    let sent = 0
    const failing = new Readable({
      read() {
        sent += 1
        if (sent > 20) {
          this.destroy(new Error('connection lost'))
          return
        }
        this.push(Buffer.alloc(64 * 1024))
      },
    })
    await expect(writeServerArchive(failing, { ...options, destination: repositoryDestination(repository, ID, 'base.tar') })).rejects.toThrow(
      /connection lost/
    )
    expect(await repository.files(ID)).toEqual([])
  })
})
