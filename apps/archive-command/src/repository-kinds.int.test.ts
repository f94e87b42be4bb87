// The whole WAL cycle on PostgreSQL 16 against both kinds of repository — an s3:// bucket on a real
// Ceph RADOS Gateway and a directory — with the same assertions: archive_command = `tidemark-wal push`
// archives every segment of 15 WAL switches with no failure; get returns identical bytes and a
// missing name exits 1 at once; a conflicting push is refused (exit 3) and the original kept; the
// prefetch worker fills its spool; recoveries through restore_command = `tidemark-wal get` (with and
// without --prefetch) replay to the end of the archive; cleanup removes what pg_archivecleanup would.
//
// The server reaches the bucket the documented way (docs/wal-repository.md): a credentials file
// readable only by its OS user, named by AWS_SHARED_CREDENTIALS_FILE in front of the command.
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  chownTree,
  createSampleTable,
  DEBIAN_MAJOR,
  debianBinDir,
  s3ServerAvailableOrWarn,
  scratchDir,
  serverOsUser,
  startCluster,
  startExistingCluster,
  startS3Server,
  stopAllClusters,
  switchWal,
  tableDigest,
  type Cluster,
  type S3Server,
} from '@tidemark/test-fixtures'
import { S3Storage } from '@tidemark/storage/s3'
import { DirectoryWalRepository, SPOOL_DIR_NAME, StorageWalRepository, segmentFileNamesBetween, type WalRepository } from '@tidemark/wal'
import { buildBundle, runBin, serverRepo, waitArchived, waitFor, walCommand, walFileName } from './testing/wal-server.js'

const MAJOR = 16
const SEGMENT_SIZE = 16 * 1024 * 1024
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

const s3Available = s3ServerAvailableOrWarn()

/** How the tests and the server reach one repository. */
interface RepositoryKind {
  /** --repo and the S3 flags, for the command line. */
  readonly args: readonly string[]
  /** VAR=value words PostgreSQL's shell puts in front of the command. */
  readonly envWords: readonly string[]
  /** The same as an environment, for runBin. */
  readonly env: NodeJS.ProcessEnv
  /** TIDEMARK_REPO=… and the AWS environment instead of flags (restore_command without --repo). */
  readonly envOnlyWords: readonly string[]
  readonly repository: WalRepository
}

let s3: S3Server | undefined
let bucketCount = 0

beforeAll(async () => {
  buildBundle()
  if (s3Available) {
    s3 = await startS3Server()
  }
})
afterAll(async () => {
  await stopAllClusters()
  await s3?.stop()
})

function directoryKind(): RepositoryKind {
  const repo = serverRepo()
  return { args: ['--repo', repo], envWords: [], env: {}, envOnlyWords: [`TIDEMARK_REPO=${repo}`], repository: new DirectoryWalRepository(repo) }
}

async function s3Kind(server: S3Server): Promise<RepositoryKind> {
  const bucket = `wal-${++bucketCount}`
  await server.createBucket(bucket)
  // The server's OS user reads the credentials from a file only it may read.
  const dir = scratchDir('s3-credentials')
  const file = join(dir, 'credentials')
  writeFileSync(file, `[default]\naws_access_key_id = ${server.accessKey}\naws_secret_access_key = ${server.secretKey}\n`)
  chmodSync(file, 0o600)
  chownTree(dir, serverOsUser())
  const url = `s3://${bucket}/clusters/main`
  const credentials = `AWS_SHARED_CREDENTIALS_FILE=${file}`
  return {
    args: ['--repo', url, '--s3-endpoint', server.endpoint],
    envWords: [credentials],
    env: { AWS_SHARED_CREDENTIALS_FILE: file },
    envOnlyWords: [`TIDEMARK_REPO=${url}`, `AWS_ENDPOINT_URL_S3=${server.endpoint}`, credentials],
    repository: new StorageWalRepository(
      new S3Storage(bucket, 'clusters/main', {
        endpoint: server.endpoint,
        credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey },
        env: {},
      })
    ),
  }
}

function command(words: readonly string[], args: readonly string[]): string {
  return [...words, walCommand(args)].join(' ')
}

async function waitPromoted(cluster: Cluster): Promise<void> {
  await waitFor('the end of recovery', async () => {
    const [row] = await cluster.query<{ recovering: boolean }>(`SELECT pg_is_in_recovery() AS recovering`)
    return row?.recovering === false
  })
}

async function wholeCycle(kind: RepositoryKind): Promise<void> {
  const { repository } = kind
  const cluster = await startCluster({ major: MAJOR, archiveCommand: command(kind.envWords, ['push', ...kind.args, '--compress', 'gzip:1', '%p', '%f']) })
  await createSampleTable(cluster, 'sample', 2000)
  // A cold copy from before the work: the recoveries replay everything after it from the archive.
  await cluster.stop({ mode: 'fast', keepFiles: true })
  const image = join(scratchDir('repo-kinds-image'), 'data')
  cpSync(cluster.dataDir, image, { recursive: true })
  await cluster.start()
  let lastLsn = ''
  for (let i = 0; i < 15; i += 1) {
    await cluster.query(`INSERT INTO sample SELECT g, 'more', g, NULL FROM generate_series($1::int, $1::int + 99) AS g`, [10_000 + i * 100])
    lastLsn = await switchWal(cluster)
  }
  const last = await walFileName(cluster, lastLsn)
  expect((await waitArchived(cluster, last)).failed_count).toBe('0')

  // Every segment up to the last switched one is archived.
  const expected = segmentFileNamesBetween('000000010000000000000001', last, SEGMENT_SIZE)
  expect(expected.length).toBeGreaterThanOrEqual(15)
  const archived = await repository.list()
  expect(archived.filter((name) => name <= last)).toEqual(expected)
  expect((await repository.readIdentity())?.major).toBe(MAJOR)

  // get returns the bytes PostgreSQL archived; a name never archived exits 1 at once (one 404).
  const work = scratchDir('repo-kinds-get')
  for (const name of expected.slice(-2)) {
    const got = await runBin(['get', ...kind.args, name, join(work, 'RECOVERYXLOG')], kind.env)
    expect(got).toEqual({ code: 0, stdout: '', stderr: '' })
    expect(readFileSync(join(work, 'RECOVERYXLOG')).equals(readFileSync(join(cluster.dataDir, 'pg_wal', name)))).toBe(true)
  }
  const started = Date.now()
  const missing = await runBin(['get', ...kind.args, '000000010000000F000000FF', join(work, 'nothing')], kind.env)
  expect(missing).toEqual({ code: 1, stdout: '', stderr: 'tidemark-wal: 000000010000000F000000FF not found in the repository [TIDEMARK_ERR_WAL_NOT_FOUND]\n' })
  expect(Date.now() - started).toBeLessThan(5_000)

  // A conflicting push is refused with both checksums; the archive keeps the original.
  const original = readFileSync(join(cluster.dataDir, 'pg_wal', last))
  const changed = Buffer.from(original)
  changed[100_000] = (changed[100_000] ?? 0) ^ 0xff
  writeFileSync(join(work, last), changed)
  const conflict = await runBin(['push', ...kind.args, join(work, last), last], kind.env)
  expect(conflict.code).toBe(3)
  expect(conflict.stderr).toContain(`archived sha256 ${sha256(original)}, pushed sha256 ${sha256(changed)}`)
  expect(conflict.stderr).toMatch(/^tidemark-wal: [^\n]+ \[TIDEMARK_ERR_WAL_CONFLICT\]\n$/)
  expect((await repository.head(last))?.sha256).toBe(sha256(original))

  // The background prefetcher (what get --prefetch starts) fills a spool from this repository.
  const spool = join(work, SPOOL_DIR_NAME)
  mkdirSync(spool)
  const ahead = expected.slice(2, 5)
  expect(await runBin(['prefetch-worker', ...kind.args, spool, ...ahead], kind.env)).toEqual({ code: 0, stdout: '', stderr: '' })
  expect(readdirSync(spool).sort()).toEqual(ahead)
  for (const name of ahead) {
    expect(sha256(readFileSync(join(spool, name)))).toBe((await repository.head(name))?.sha256)
  }

  const rows = await tableDigest(cluster, 'sample')
  await cluster.stop()

  // Recovery with --prefetch (archiving off: the second recovery below promotes on the same archive).
  const prefetched = join(scratchDir('repo-kinds-prefetch'), 'data')
  cpSync(image, prefetched, { recursive: true })
  writeFileSync(join(prefetched, 'recovery.signal'), '')
  const first = await startExistingCluster({
    major: MAJOR,
    dataDir: prefetched,
    conf: ['archive_mode = off', `restore_command = '${command(kind.envWords, ['get', ...kind.args, '--prefetch', '3', '%f', '%p'])}'`],
  })
  await waitPromoted(first)
  expect(await tableDigest(first, 'sample')).toEqual(rows)
  expect(existsSync(join(prefetched, 'pg_wal', SPOOL_DIR_NAME))).toBe(false)
  await first.stop()

  // Recovery without prefetch, the repository named by the environment only; after promotion the
  // server archives its new timeline's history file into the same repository.
  const plain = join(scratchDir('repo-kinds-plain'), 'data')
  cpSync(image, plain, { recursive: true })
  writeFileSync(join(plain, 'recovery.signal'), '')
  const second = await startExistingCluster({
    major: MAJOR,
    dataDir: plain,
    conf: [`restore_command = '${command(kind.envOnlyWords, ['get', '%f', '%p'])}'`],
  })
  await waitPromoted(second)
  expect(await tableDigest(second, 'sample')).toEqual(rows)
  await waitFor('00000002.history in the repository', async () => (await repository.list()).includes('00000002.history'))
  const [stats] = await second.query<{ failed: string }>(`SELECT failed_count::text AS failed FROM pg_stat_archiver`)
  expect(stats?.failed).toBe('0')
  await second.stop()

  await cleanupLikePgArchivecleanup(kind, expected[8] ?? '')
}

/** cleanup -n names what pg_archivecleanup -n names on the same files; cleanup then removes exactly those. */
async function cleanupLikePgArchivecleanup(kind: RepositoryKind, oldest: string): Promise<void> {
  const before = await kind.repository.list()
  const tool = join(debianBinDir(DEBIAN_MAJOR), 'pg_archivecleanup')
  let theirs: string[]
  if (existsSync(tool)) {
    const plain = scratchDir('repo-kinds-archivecleanup')
    for (const name of before) {
      writeFileSync(join(plain, name), '')
    }
    theirs = execFileSync(tool, ['-n', plain, oldest], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((path) => path.slice(plain.length + 1))
      .sort()
  } else {
    console.warn(`pg_archivecleanup (Debian PostgreSQL ${DEBIAN_MAJOR}) is not installed: checking cleanup against the segments before ${oldest}`)
    theirs = before.filter((name) => /^[0-9A-F]{24}$/.test(name) && name.slice(8) < oldest.slice(8))
  }
  expect(theirs.length).toBeGreaterThan(0)
  const dryRun = await runBin(['cleanup', ...kind.args, '-n', oldest], kind.env)
  expect(dryRun.code).toBe(0)
  expect(dryRun.stdout.split('\n').filter(Boolean).sort()).toEqual(theirs)
  expect(await kind.repository.list()).toEqual(before)
  expect(await runBin(['cleanup', ...kind.args, oldest], kind.env)).toEqual({ code: 0, stdout: '', stderr: '' })
  expect(await kind.repository.list()).toEqual(before.filter((name) => !theirs.includes(name)))
}

describe('tidemark-wal on every kind of repository (PostgreSQL 16)', () => {
  it.skipIf(!s3Available)('archives, gets, refuses conflicts, prefetches, recovers and cleans up on s3:// (Ceph RGW)', async () => {
    if (!s3) {
      throw new Error('the S3 server did not start')
    }
    await wholeCycle(await s3Kind(s3))
  })

  it('does the same on a directory', async () => {
    await wholeCycle(directoryKind())
  })
})
