// The catalog on a live PostgreSQL 16, against a directory repository and a Ceph RADOS Gateway bucket:
// archive_command = tidemark-wal push into the repository, three backups taken into it (-X none, so
// each needs the archive to become consistent), then the listing says each is recoverable to the end
// of the archive; expire --dry-run changes nothing; expire --retain-full 1 keeps exactly the newest
// backup and the WAL from its start on; the kept backup is the one picked, and a PITR from it still
// replays to the end of the archive: every row is back. The promoted server archives timeline 2 into
// the same repository, and the listing follows the switch through 00000002.history.
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { commandLine } from '@tidemark/recovery'
import { PosixStorage, type Storage } from '@tidemark/storage'
import { S3Storage } from '@tidemark/storage/s3'
import {
  chownTree,
  embeddedBinDir,
  freePort,
  runAs,
  s3ServerAvailableOrWarn,
  scratchDir,
  serverOsUser,
  startCluster,
  startS3Server,
  stopAllClusters,
  switchWal,
  type Cluster,
  type S3Server,
} from '@tidemark/test-fixtures'
import { DirectoryWalRepository, StorageWalRepository, isSegmentFileName, type WalRepository } from '@tidemark/wal'
import { columnValue, connect } from '@tidemark/wire'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backUpToRepository } from '../basebackup-repository.js'
import { NoBackupForTargetError } from '../errors.js'
import { dataDirConnection } from '../pitr-connection.js'
import { runPitr } from '../pitr.js'
import { backupRequest } from '../testing/backup-request.js'
import { listBackups } from './backup-listing.js'
import { BackupRepository } from './backup-repository.js'
import { expireRepository } from './expire.js'
import { pickBackupForTarget } from './pick-backup.js'

const ARCHIVE_COMMAND_DIR = fileURLToPath(new URL('../../../../apps/archive-command/', import.meta.url))
const WAL_BIN = join(ARCHIVE_COMMAND_DIR, 'bin', 'tidemark-wal.js')
const MAJOR = 16

const s3Available = s3ServerAvailableOrWarn()

/** One repository as the tests, the server's archive_command and its restore_command reach it. */
interface RepositoryKind {
  readonly location: string
  readonly storage: Storage
  readonly wal: WalRepository
  /** Words before and after `tidemark-wal push|get` (credentials in the environment, --repo and S3 flags). */
  readonly envWords: readonly string[]
  readonly args: readonly string[]
}

let s3: S3Server | undefined

beforeAll(async () => {
  if (!existsSync(join(ARCHIVE_COMMAND_DIR, 'dist', 'main.js')) || !existsSync(join(ARCHIVE_COMMAND_DIR, 'dist', 'tidemark-storage.js'))) {
    execFileSync(process.execPath, ['build.mjs'], { cwd: ARCHIVE_COMMAND_DIR, stdio: 'pipe' })
  }
  if (s3Available) {
    s3 = await startS3Server()
  }
}, 120_000)

afterAll(async () => {
  await stopAllClusters()
  await s3?.stop()
})

function directoryKind(): RepositoryKind {
  const repo = scratchDir('expire-repo')
  chownTree(repo, serverOsUser())
  return { location: repo, storage: new PosixStorage(repo), wal: new DirectoryWalRepository(repo), envWords: [], args: ['--repo', repo] }
}

async function cephKind(server: S3Server): Promise<RepositoryKind> {
  await server.createBucket('catalog')
  const dir = scratchDir('expire-s3-credentials')
  const file = join(dir, 'credentials')
  writeFileSync(file, `[default]\naws_access_key_id = ${server.accessKey}\naws_secret_access_key = ${server.secretKey}\n`)
  chmodSync(file, 0o600)
  chownTree(dir, serverOsUser())
  const options = { endpoint: server.endpoint, credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey }, env: {} }
  return {
    location: 's3://catalog/main',
    storage: new S3Storage('catalog', 'main', options),
    wal: new StorageWalRepository(new S3Storage('catalog', 'main', options)),
    envWords: [`AWS_SHARED_CREDENTIALS_FILE=${file}`],
    args: ['--repo', 's3://catalog/main', '--s3-endpoint', server.endpoint],
  }
}

function walCommand(kind: RepositoryKind, verb: 'push' | 'get', files: Parameters<typeof commandLine>[1]): string {
  return [...kind.envWords, commandLine([process.execPath, WAL_BIN, verb, ...kind.args], files)].join(' ')
}

async function value(cluster: Cluster, sql: string): Promise<string> {
  const [row] = await cluster.query<{ v: string }>(sql)
  return row?.v ?? ''
}

/** Switches WAL and waits until the segment switched away from is archived; returns its name. */
async function switchAndArchive(cluster: Cluster): Promise<string> {
  const segment = await value(cluster, `SELECT pg_walfile_name('${await switchWal(cluster)}'::pg_lsn) AS v`)
  for (let i = 0; ; i += 1) {
    const state = await value(cluster, `SELECT coalesce(last_archived_wal, '') || '/' || failed_count AS v FROM pg_stat_archiver`)
    expect(state.endsWith('/0'), `archive_command failed:\n${cluster.logTail()}`).toBe(true)
    if (state.slice(0, 24) >= segment) {
      return segment
    }
    expect(i).toBeLessThan(600)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** One value of a query on the server PITR started on dataDir. */
async function queryRecovered(dataDir: string, port: number, sql: string): Promise<string> {
  const connection = await connect(await dataDirConnection(dataDir, {}, port))
  try {
    const [result] = await connection.query(sql)
    return result ? (columnValue(result, 0, 'v') ?? '') : ''
  } finally {
    await connection.close()
  }
}

/** Switches WAL on the promoted server and waits until it archived the segment switched away from. */
async function switchAndArchiveRecovered(dataDir: string, port: number): Promise<string> {
  const segment = await queryRecovered(dataDir, port, `SELECT pg_walfile_name(pg_switch_wal()) AS v`)
  for (let i = 0; ; i += 1) {
    const state = await queryRecovered(dataDir, port, `SELECT coalesce(last_archived_wal, '') || '/' || failed_count AS v FROM pg_stat_archiver`)
    expect(state.endsWith('/0')).toBe(true)
    if (state.slice(0, 24) >= segment) {
      return segment
    }
    expect(i).toBeLessThan(600)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const kinds = [
  { name: 'a directory repository', skip: false, open: async (): Promise<RepositoryKind> => directoryKind() },
  { name: 'a Ceph RGW bucket', skip: !s3Available, open: async (): Promise<RepositoryKind> => cephKind(s3 as S3Server) },
]

for (const kindSpec of kinds) {
  describe.skipIf(kindSpec.skip)(`backups and expire on ${kindSpec.name} (PostgreSQL ${MAJOR})`, () => {
    it('lists three backups recoverable to the end of the archive; expire --retain-full 1 keeps the newest and its WAL; PITR from it gets every row back; timeline 2 is followed', async () => {
      const kind = await kindSpec.open()
      const backups = new BackupRepository(kind.storage)
      const cluster = await startCluster({ major: MAJOR, archiveCommand: walCommand(kind, 'push', ['%p', '%f']) })
      await cluster.query(`CREATE TABLE t (id int PRIMARY KEY)`)
      const ids: string[] = []
      for (let round = 0; round < 3; round += 1) {
        await cluster.query(`INSERT INTO t SELECT generate_series($1::int, $1::int + 9)`, [round * 10 + 1])
        await switchAndArchive(cluster)
        ids.push((await backUpToRepository({ ...backupRequest(cluster, 'unused', { walMethod: 'none' }), repository: backups })).id)
      }
      await cluster.query(`INSERT INTO t SELECT generate_series(31, 40)`)
      const lastSegment = await switchAndArchive(cluster)
      const [oldest, middle, newest] = ids as [string, string, string]

      // Each backup: consistent from the archive, and recoverable to the end of the last archived segment.
      const listing = await listBackups(backups, kind.wal)
      expect(listing.backups.map((listed) => listed.record.id)).toEqual(ids)
      for (const listed of listing.backups) {
        expect(listed.wal).toMatchObject({ consistent: true, missing: [], timelines: [1], missingFrom: undefined })
        expect(listed.wal.recoverableTo?.segment).toBe(lastSegment)
      }
      const newestStart = listing.backups[2]?.wal.startSegment ?? ''
      const walBefore = await kind.wal.list()

      const dryRun = await expireRepository({ backups, wal: kind.wal, policy: { retainFull: 1 }, dryRun: true })
      expect(dryRun.expired.map((record) => record.id)).toEqual([oldest, middle])
      expect(dryRun.walKeptFrom).toBe(newestStart)
      expect(dryRun.walRemoved.length).toBeGreaterThan(0)
      expect((await backups.list()).map((record) => record.id)).toEqual(ids)
      expect(await kind.wal.list()).toEqual(walBefore)

      const expired = await expireRepository({ backups, wal: kind.wal, policy: { retainFull: 1 } })
      expect(expired.kept.map((record) => record.id)).toEqual([newest])
      expect(expired.walRemoved).toEqual(dryRun.walRemoved)
      expect(await backups.ids()).toEqual([newest])
      expect(await backups.objects(oldest)).toEqual([])
      const walAfter = await kind.wal.list()
      expect(walAfter).toEqual(walBefore.filter((name) => !expired.walRemoved.includes(name)))
      // Exactly the WAL before the newest backup's start went: every segment from its start on stays.
      const segmentsBefore = walBefore.filter((name) => isSegmentFileName(name))
      expect(expired.walRemoved.filter((name) => isSegmentFileName(name))).toEqual(segmentsBefore.filter((name) => name < newestStart))
      expect(walAfter.filter((name) => isSegmentFileName(name))).toEqual(segmentsBefore.filter((name) => name >= newestStart))
      expect(walAfter.some((name) => name.startsWith(newestStart) && name.endsWith('.backup'))).toBe(true)

      const after = await listBackups(backups, kind.wal)
      expect(after.backups.map((listed) => [listed.record.id, listed.wal.consistent, listed.wal.recoverableTo?.segment])).toEqual([[newest, true, lastSegment]])

      // The kept backup is the one a recovery picks; a target before it ended is refused, naming it.
      const picked = await pickBackupForTarget({ backups, wal: kind.wal })
      expect(picked.record.id).toBe(newest)
      const tooEarly = await pickBackupForTarget({ backups, wal: kind.wal, target: { kind: 'lsn', lsn: '0/1000000' } }).catch((error: unknown) => error)
      expect(tooEarly).toBeInstanceOf(NoBackupForTargetError)
      expect((tooEarly as Error).message).toContain(`the oldest, ${newest}, ends at`)

      // PITR from the kept backup replays the archive to its end: all 40 rows.
      await cluster.stop({ mode: 'fast', keepFiles: true })
      const base = scratchDir('expire-pitr')
      chownTree(base, serverOsUser())
      const dataDir = join(base, 'data')
      const port = await freePort()
      const result = await runPitr({
        backup: { repository: backups, id: newest },
        dataDir,
        repo: kind.location,
        walRepository: kind.wal,
        restoreCommand: walCommand(kind, 'get', ['%f', '%p']),
        start: true,
        port,
        pgBin: embeddedBinDir(MAJOR),
        sync: false,
      })
      expect(result.stop).toMatchObject({ reason: 'end-of-wal', running: true })
      expect(await queryRecovered(dataDir, port, `SELECT count(*) || '/' || max(id) AS v FROM t`)).toBe('40/40')

      // The promoted server archives timeline 2 into the same repository: the listing and the choice follow the switch.
      const onTwo = await switchAndArchiveRecovered(dataDir, port)
      expect(onTwo.startsWith('00000002')).toBe(true)
      const switched = await listBackups(backups, kind.wal)
      expect(switched.backups[0]?.wal).toMatchObject({ consistent: true, timelines: [1, 2], recoverableTo: { segment: onTwo, timeline: 2 } })
      const pickedOnTwo = await pickBackupForTarget({ backups, wal: kind.wal })
      expect([pickedOnTwo.record.id, pickedOnTwo.timeline, pickedOnTwo.coverage.recoverableTo?.segment]).toEqual([newest, 2, onTwo])
      const bin = embeddedBinDir(MAJOR)
      await runAs(serverOsUser(), join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w'], { env: { LD_LIBRARY_PATH: join(bin, '..', 'lib') } })
      await kind.storage.close()
    }, 300_000)
  })
}
