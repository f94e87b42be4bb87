// One repository holding both the WAL and the backups, end to end through the command line on
// PostgreSQL 16, against a directory and an s3:// bucket on a real Ceph RADOS Gateway: the server
// archives with `tidemark-wal push --repo`, `tidemark basebackup --repo` streams a backup in and
// prints its id, `tidemark verify` and `tidemark extract` read it from the repository, and
// `tidemark pitr --repo` without --backup picks it by itself and lands on a restore point with the
// right rows. The recovering server reaches the bucket through the restore_command pitr writes
// (the endpoint as a flag, the credentials file named by AWS_SHARED_CREDENTIALS_FILE). The real
// binary streams a 100 MB backup in with flat memory, and one stopped by SIGINT leaves nothing.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  chownTree,
  embeddedBinDir,
  freePort,
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBackupRepository } from '@tidemark/backup'
import { ensureBuilt, runTidemark } from '../testing/cli-process.js'
import { serverCredentialsFile, tidemarkWithEnv } from '../testing/s3-command-env.js'
import { ensureWalBundle, queryRecovered, stopRecovered, waitArchived, type Scenario } from '../testing/pitr-scenario.js'
import { findTidemarkWal } from '../tidemark-wal-path.js'

const MAJOR = 16

const s3Available = s3ServerAvailableOrWarn()

let s3: S3Server | undefined

beforeAll(async () => {
  ensureWalBundle()
  ensureBuilt()
  if (s3Available) {
    s3 = await startS3Server()
  }
}, 60_000)

afterAll(async () => {
  await stopAllClusters()
  await s3?.stop()
})

/** A repository as the command line and the server name it. */
interface Repository {
  /** --repo and the S3 flags. */
  readonly args: readonly string[]
  /** The environment of the tidemark commands (and, as VAR=value words, of the archive_command). */
  readonly env: Readonly<Record<string, string>>
}

function directoryRepository(): Repository {
  const repo = scratchDir('cli-repo')
  chownTree(repo, serverOsUser())
  return { args: ['--repo', repo], env: {} }
}

let buckets = 0

async function bucketRepository(server: S3Server): Promise<Repository> {
  const bucket = `cli-repo-${++buckets}`
  await server.createBucket(bucket)
  const file = serverCredentialsFile(server)
  return { args: ['--repo', `s3://${bucket}/clusters/main`, '--s3-endpoint', server.endpoint], env: { AWS_SHARED_CREDENTIALS_FILE: file } }
}

async function one(cluster: Cluster, sql: string): Promise<string> {
  const [row] = await cluster.query<{ v: string }>(sql)
  return row?.v ?? ''
}

const kinds: ReadonlyArray<{ name: string; skip: boolean; open: () => Promise<Repository> }> = [
  { name: 'a directory', skip: false, open: async () => directoryRepository() },
  { name: 'an s3:// bucket on Ceph RGW', skip: !s3Available, open: async () => bucketRepository(s3 as S3Server) },
]

for (const kind of kinds) {
  describe.skipIf(kind.skip)(`WAL and backups in ${kind.name} (PostgreSQL ${MAJOR})`, () => {
    it('basebackup --repo prints an id that verify and extract read; pitr --repo picks that backup and lands on the restore point', async () => {
      const repository = await kind.open()
      const envWords = Object.entries(repository.env).map(([name, value]) => `${name}=${value}`)
      const archiveCommand = [...envWords, process.execPath, findTidemarkWal(), 'push', ...repository.args, '%p', '%f'].join(' ')
      const cluster = await startCluster({ major: MAJOR, archiveCommand })
      await cluster.query(`CREATE TABLE t (id int PRIMARY KEY, label text NOT NULL)`)
      await cluster.query(`INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 10) AS g`)

      const connection = ['-h', cluster.socketDir, '-p', String(cluster.port), '-U', 'postgres']
      const taken = await tidemarkWithEnv(['basebackup', ...repository.args, ...connection, '-c', 'fast', '-z'], repository.env)
      expect(taken.err, taken.err).not.toMatch(/TIDEMARK_ERR/)
      expect(taken.exitCode).toBe(0)
      const id = taken.out.trim()
      expect(id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/)

      const verified = await tidemarkWithEnv(['verify', ...repository.args, '--backup', id], repository.env)
      expect(verified.exitCode, verified.out + verified.err).toBe(0)
      expect(verified.out).toMatch(/backup successfully verified: \d+ files, \d+ WAL segment/)
      const listed = await tidemarkWithEnv(['backups', ...repository.args, '--json'], repository.env)
      const record = (JSON.parse(listed.out) as { backups: Array<{ id: string; verified: boolean; verifiedAt?: string }> }).backups.find((b) => b.id === id)
      expect(record?.verified).toBe(true)
      expect(Date.parse(record?.verifiedAt ?? '')).toBeGreaterThan(Date.now() - 600_000)

      const extracted = join(scratchDir('cli-repo-extract'), 'data')
      const extract = await tidemarkWithEnv(['extract', ...repository.args, '--backup', id, '-D', extracted, '-N'], repository.env)
      expect(extract.exitCode, extract.err).toBe(0)
      expect(readFileSync(join(extracted, 'PG_VERSION'), 'utf8').trim()).toBe(String(MAJOR))
      expect(existsSync(join(extracted, 'pg_wal'))).toBe(true)

      await cluster.query(`INSERT INTO t SELECT g, 'row ' || g FROM generate_series(11, 20) AS g`)
      await cluster.query(`SELECT pg_create_restore_point('rp')`)
      await cluster.query(`INSERT INTO t SELECT g, 'row ' || g FROM generate_series(21, 30) AS g`)
      const segment = await one(cluster, `SELECT pg_walfile_name('${await switchWal(cluster)}'::pg_lsn) AS v`)
      await waitArchived((sql) => one(cluster, sql), segment)

      const base = scratchDir('cli-repo-pitr')
      chownTree(base, serverOsUser())
      const dataDir = join(base, 'data')
      const port = await freePort()
      const recovered = await tidemarkWithEnv(
        ['pitr', ...repository.args, '-D', dataDir, '--start', '--pg-bin', embeddedBinDir(MAJOR), '--port', String(port), '--target-name', 'rp', '--target-action', 'promote'],
        repository.env
      )
      expect(recovered.exitCode, recovered.err).toBe(0)
      expect(recovered.err).toContain(`step 0: recovering from backup ${id}`)
      expect(recovered.out).toMatch(/target was reached and the server was promoted/)
      const autoConf = readFileSync(join(dataDir, 'postgresql.auto.conf'), 'utf8')
      expect(autoConf).toContain(`get --repo ${repository.args[1] ?? ''}`)
      if (repository.env['AWS_SHARED_CREDENTIALS_FILE'] !== undefined) {
        expect(autoConf).toContain(`AWS_SHARED_CREDENTIALS_FILE=${repository.env['AWS_SHARED_CREDENTIALS_FILE']}`)
        expect(autoConf).toContain(`--s3-endpoint ${s3?.endpoint ?? ''}`)
        expect(autoConf).not.toContain(s3?.secretKey ?? '')
      }
      const scenario = { cluster, major: MAJOR } as unknown as Scenario
      expect(await queryRecovered(scenario, port, `SELECT count(*) || '/' || max(id) AS v FROM t`)).toBe('20/20')
      await stopRecovered(scenario, dataDir)
      await cluster.stop()
    }, 240_000)
  })
}

/** Every key of a storage, including the WAL side's (posix temporaries are not listed). */
async function keys(storage: { list(prefix: string): AsyncIterable<{ key: string }> }): Promise<string[]> {
  const found: string[] = []
  for await (const object of storage.list('')) {
    found.push(object.key)
  }
  return found
}

async function waitFor(condition: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time')
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

for (const kind of kinds) {
  describe.skipIf(kind.skip)(`tidemark basebackup --repo into ${kind.name}, the binary (PostgreSQL ${MAJOR})`, () => {
    it('stores 100 MB with flat memory and prints the id; a run stopped by SIGINT leaves nothing behind', async () => {
      const repository = await kind.open()
      const cluster = await startCluster({ major: MAJOR })
      // ~64 MB that does not compress, so a rate-limited backup runs long enough to interrupt.
      await cluster.query(`CREATE TABLE noise AS SELECT g, decode(string_agg(md5(random()::text || g || i), ''), 'hex') AS b
                             FROM generate_series(1, 8000) g, generate_series(1, 256) i GROUP BY g`)
      const connection = ['-h', cluster.socketDir, '-p', String(cluster.port), '-U', 'postgres']
      const run = runTidemark(['basebackup', ...repository.args, '--s3-part-size', '5', '-c', 'fast', ...connection], repository.env)
      expect(await run.exit, run.stderr()).toBe(0)
      const id = run.stdout().trim()
      expect(run.peakRss()).toBeLessThan(200 * 1024 * 1024)

      const { repository: backups } = await openBackupRepository(repository.args[1], { s3Endpoint: repository.args[3] }, { ...process.env, ...repository.env })
      Object.assign(process.env, repository.env)
      try {
        const base = (await backups.files(id)).find((file) => file.name === 'base.tar')
        expect(base?.size).toBeGreaterThan(64 * 1024 * 1024)

        const before = await keys(backups.storage)
        const location = repository.args[1] ?? ''
        // A directory's temporaries are not listed: the files themselves are compared.
        const files = (): string[] => (location.startsWith('s3://') ? [] : readdirSync(join(location, 'backups'), { recursive: true }).map(String).sort())
        const filesBefore = files()
        const stopped = runTidemark(['basebackup', ...repository.args, '-r', '2M', '-c', 'fast', ...connection], repository.env)
        // Streaming into the repository for a few seconds (objects appear only once complete).
        await waitFor(async () => (await cluster.query(`SELECT 1 FROM pg_stat_activity WHERE backend_type = 'walsender'`)).length > 0, 30_000)
        await new Promise((resolve) => setTimeout(resolve, 4000))
        stopped.child.kill('SIGINT')
        expect(await stopped.exit).toBe(130)
        expect(stopped.stderr().trim().split('\n').at(-1)).toBe('tidemark: interrupted by SIGINT [TIDEMARK_ERR_CLI_INTERRUPTED]')
        expect(await backups.ids()).toEqual([id])
        expect(await keys(backups.storage)).toEqual(before)
        expect(files().filter((name) => !filesBefore.includes(name))).toEqual([])
      } finally {
        await backups.storage.close()
        for (const name of Object.keys(repository.env)) {
          delete process.env[name]
        }
      }
      await cluster.stop()
    }, 240_000)
  })
}
