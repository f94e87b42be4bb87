// basebackup --repo as a library, against a directory repository and a Ceph RADOS Gateway bucket
// (5 MiB multipart parts), on one PostgreSQL major: a backup streamed into the repository is listed,
// its stored base.tar (several parts) reads back byte for byte, it verifies, it restores to a server
// with the same rows, a flipped byte in the stored archive is named by verify, an interrupted backup
// leaves nothing, and a repository bound to another system's WAL is refused with nothing stored.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import {
  createSampleTable,
  s3ServerAvailableOrWarn,
  scratchDir,
  startCluster,
  startExistingCluster,
  startS3Server,
  stopAllClusters,
  tableDigest,
  type Cluster,
  type S3Server,
} from '@tidemark/test-fixtures'
import { IDENTITY_FILE } from '@tidemark/wal'
import { PosixStorage, type PutResult, type Storage, type StorageBody } from '@tidemark/storage'
import { S3Storage } from '@tidemark/storage/s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backUpToRepository } from './basebackup-repository.js'
import { BackupInterruptedError, BackupRepositoryMismatchError } from './errors.js'
import { extractBackup } from './extract-backup.js'
import { BackupRepository } from './repository/backup-repository.js'
import { restoreBackup } from './restore-backup.js'
import { readAll } from './server-archive.js'
import { backupRequest } from './testing/backup-request.js'
import { verifyBackup } from './verify-backup.js'

const MAJOR = 16
const MIB = 1024 * 1024
const PART_SIZE = 5 * MIB

const s3Available = s3ServerAvailableOrWarn()

/** A repository that hashes every file as the backup streams it in, to compare with what reads back. */
class HashingRepository extends BackupRepository {
  readonly sent = new Map<string, { sha256: string; bytes: number }>()

  override async putFile(id: string, name: string, body: StorageBody, options: { readonly size?: number; readonly signal?: AbortSignal } = {}): Promise<PutResult> {
    const hash = createHash('sha256')
    let bytes = 0
    const sent = this.sent
    async function* hashed(): AsyncGenerator<Uint8Array> {
      const chunks = body instanceof Uint8Array ? [body] : (body as AsyncIterable<Uint8Array>)
      for await (const chunk of chunks) {
        hash.update(chunk)
        bytes += chunk.length
        yield chunk
      }
      sent.set(name, { sha256: hash.digest('hex'), bytes })
    }
    return super.putFile(id, name, hashed(), options)
  }
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of stream) {
    hash.update(chunk as Buffer)
  }
  return hash.digest('hex')
}

/** The first regular file of at least 8 kB in an uncompressed tar, and where its data starts. */
function bigFileIn(tar: Buffer): { name: string; offset: number } {
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512)
    const name = header.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '')
    if (name === '') {
      break
    }
    const size = parseInt(header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8)
    const type = String.fromCharCode(header[156] ?? 0)
    if ((type === '0' || type === '\0') && size >= 8192) {
      return { name, offset: at + 512 }
    }
    at += 512 + Math.ceil(size / 512) * 512
  }
  throw new Error('no file of 8 kB or more in the archive')
}

let cluster: Cluster
let expected: { rows: number; digest: string }
let s3: S3Server | undefined

beforeAll(async () => {
  cluster = await startCluster({ major: MAJOR })
  await createSampleTable(cluster, 'items', 20_000)
  expected = await tableDigest(cluster, 'items')
  if (s3Available) {
    s3 = await startS3Server()
    await s3.createBucket('backups')
  }
}, 120_000)

afterAll(async () => {
  await stopAllClusters()
  await s3?.stop()
})

interface RepositoryKind {
  readonly name: string
  readonly skip: boolean
  readonly open: () => Storage
}

const kinds: RepositoryKind[] = [
  { name: 'a directory repository', skip: false, open: () => new PosixStorage(scratchDir('backup-repo')) },
  {
    name: 'a Ceph RGW bucket (5 MiB parts)',
    skip: !s3Available,
    open: () =>
      new S3Storage('backups', `repo-${Math.random().toString(16).slice(2, 8)}`, {
        endpoint: s3?.endpoint ?? '',
        credentials: { accessKeyId: s3?.accessKey ?? '', secretAccessKey: s3?.secretKey ?? '' },
        env: {},
        partSize: PART_SIZE,
        parallelParts: 2,
      }),
  },
]

for (const kind of kinds) {
  describe.skipIf(kind.skip)(`basebackup into ${kind.name} (PostgreSQL ${MAJOR})`, () => {
    it('streams the backup in, lists it, reads base.tar back byte for byte, verifies, restores the rows, and names a flipped byte', async () => {
      const storage = kind.open()
      const repository = new HashingRepository(storage)
      const { id, record } = await backUpToRepository({
        ...backupRequest(cluster, 'unused', { walMethod: 'stream' }),
        repository,
      })
      expect(await repository.list()).toEqual([record])
      expect(record).toMatchObject({ id, format: 'tar', compression: 'none', flavor: 'postgresql', serverMajor: MAJOR, segmentSize: 16 * MIB, walMethod: 'stream' })
      expect(record.files).toEqual(expect.arrayContaining(['base.tar', 'pg_wal.tar', 'backup_manifest']))
      expect(await repository.unfinished()).toEqual([])

      // Every file reads back as it was sent; base.tar spans at least three 5 MiB parts.
      const base = repository.sent.get('base.tar')
      expect(base?.bytes).toBeGreaterThan(3 * PART_SIZE)
      for (const [name, sent] of repository.sent) {
        expect(await sha256Of(await repository.getFile(id, name)), name).toBe(sent.sha256)
        expect((await repository.files(id)).find((file) => file.name === name)?.size).toBe(sent.bytes)
      }

      const verified = await verifyBackup({ repository, id })
      expect(verified.problems).toEqual([])
      expect(verified.ok).toBe(true)
      expect(verified.walSegments).toBeGreaterThan(0)
      expect(verified.backup).toBe(`${storage.url}/backups/${id}`)

      const dataDir = join(scratchDir('backup-repo-restore'), 'data')
      await restoreBackup({ backup: { repository, id }, dataDir, sync: false })
      const restored = await startExistingCluster({ major: MAJOR, dataDir })
      expect(await tableDigest(restored, 'items')).toEqual(expected)
      await restored.stop()

      // One byte of a file inside the stored base.tar flipped: verify names that file.
      const tar = await readAll(await repository.getFile(id, 'base.tar'))
      const victim = bigFileIn(tar)
      tar[victim.offset + 100] = (tar[victim.offset + 100] ?? 0) ^ 0xff
      await storage.delete([repository.fileKey(id, 'base.tar')])
      await storage.put(repository.fileKey(id, 'base.tar'), tar)
      const damaged = await verifyBackup({ repository, id })
      expect(damaged.ok).toBe(false)
      expect(damaged.problems.map((problem) => problem.file)).toContain(victim.name)
      await storage.close()
    }, 240_000)

    it('-R with gzip: the standby files go into the stored base.tar.gz, which verifies and extracts', async () => {
      const storage = kind.open()
      const repository = new BackupRepository(storage)
      const { id, record } = await backUpToRepository({
        ...backupRequest(cluster, 'unused', { walMethod: 'fetch', writeRecoveryConf: true, compression: { method: 'gzip', location: 'client', level: 1 } }),
        repository,
      })
      expect(record).toMatchObject({ compression: 'gzip:1', walMethod: 'fetch', files: ['base.tar.gz', 'backup_manifest'] })
      expect((await verifyBackup({ repository, id })).problems).toEqual([])
      const dataDir = join(scratchDir('backup-repo-extract'), 'data')
      await extractBackup({ source: { repository, id }, targetDir: dataDir, sync: false })
      expect(existsSync(join(dataDir, 'standby.signal'))).toBe(true)
      expect(readFileSync(join(dataDir, 'postgresql.auto.conf'), 'utf8')).toMatch(/primary_conninfo = '.*port=/)
      await storage.close()
    }, 120_000)

    it('an interrupted backup leaves nothing in the repository', async () => {
      const storage = kind.open()
      const repository = new BackupRepository(storage)
      const controller = new AbortController()
      const failure = await backUpToRepository({
        ...backupRequest(cluster, 'unused', { walMethod: 'stream' }),
        repository,
        signal: controller.signal,
        // Half-way through base.tar.
        onProgress: (progress) => {
          if (progress.doneBytes > 8 * MIB) {
            controller.abort(new BackupInterruptedError('SIGINT'))
          }
        },
      }).catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(BackupInterruptedError)
      const left: string[] = []
      for await (const object of storage.list('')) {
        left.push(object.key)
      }
      expect(left).toEqual([])
      await storage.close()
    }, 120_000)

    it("refuses a repository whose WAL is another system's, storing nothing", async () => {
      const storage = kind.open()
      const repository = new BackupRepository(storage)
      await storage.put(IDENTITY_FILE, Buffer.from(JSON.stringify({ format: 'tidemark-wal-repository', version: 1, systemIdentifier: '1234567890', segmentSize: 16 * MIB })))
      const failure = await backUpToRepository({ ...backupRequest(cluster, 'unused', { walMethod: 'fetch' }), repository }).catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(BackupRepositoryMismatchError)
      expect((failure as Error).message).toMatch(/holds WAL of database system 1234567890/)
      expect(await repository.ids()).toEqual([])
      await storage.close()
    }, 60_000)
  })
}
