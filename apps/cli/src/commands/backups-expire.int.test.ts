// `tidemark backups` and `tidemark expire` through the command line against an s3:// bucket on a real
// Ceph RADOS Gateway (the directory case runs in backups-expire.test.ts and, with a PITR, in
// packages/backup/src/repository/expire.int.test.ts), on PostgreSQL 16: two backups taken with
// `basebackup --repo -X none` while `tidemark-wal push` archives, listed recoverable to the last archived
// segment; expire --dry-run --json changes nothing; expire --retain-full 1 removes the older backup and
// exactly the WAL before the newer one's start, and the listing still shows it recoverable to the end.
import {
  s3ServerAvailableOrWarn,
  startCluster,
  startS3Server,
  stopAllClusters,
  switchWal,
  type Cluster,
  type S3Server,
} from '@tidemark/test-fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureWalBundle, waitArchived } from '../testing/pitr-scenario.js'
import { serverCredentialsFile, tidemarkWithEnv as tidemark } from '../testing/s3-command-env.js'
import { findTidemarkWal } from '../tidemark-wal-path.js'

const MAJOR = 16

const s3Available = s3ServerAvailableOrWarn()

let s3: S3Server | undefined

beforeAll(async () => {
  ensureWalBundle()
  if (s3Available) {
    s3 = await startS3Server()
  }
}, 60_000)

afterAll(async () => {
  await stopAllClusters()
  await s3?.stop()
})

async function switchAndArchive(cluster: Cluster): Promise<string> {
  const one = async (sql: string): Promise<string> => (await cluster.query<{ v: string }>(sql))[0]?.v ?? ''
  const segment = await one(`SELECT pg_walfile_name('${await switchWal(cluster)}'::pg_lsn) AS v`)
  await waitArchived(one, segment)
  return segment
}

interface ListingJson {
  backups: Array<{ id: string; wal: { consistent: boolean; startSegment: string; recoverableTo: { segment: string } | null } }>
}

interface ExpireJson {
  dryRun: boolean
  kept: string[]
  expired: string[]
  walKeptFrom: string
  walRemoved: string[]
}

describe.skipIf(!s3Available)(`tidemark backups and expire on an s3:// bucket on Ceph RGW (PostgreSQL ${MAJOR})`, () => {
  it('lists the backups with their WAL range; expire --retain-full 1 keeps the newer one and its WAL', async () => {
    const server = s3 as S3Server
    await server.createBucket('cli-catalog')
    const file = serverCredentialsFile(server)
    const env = { AWS_SHARED_CREDENTIALS_FILE: file }
    const repo = ['--repo', 's3://cli-catalog/main', '--s3-endpoint', server.endpoint]
    const cluster = await startCluster({ major: MAJOR, archiveCommand: [`AWS_SHARED_CREDENTIALS_FILE=${file}`, process.execPath, findTidemarkWal(), 'push', ...repo, '%p', '%f'].join(' ') })
    await cluster.query(`CREATE TABLE t (id int PRIMARY KEY)`)
    const connection = ['-h', cluster.socketDir, '-p', String(cluster.port), '-U', 'postgres', '-c', 'fast', '-X', 'none']
    const ids: string[] = []
    for (let round = 0; round < 2; round += 1) {
      await cluster.query(`INSERT INTO t SELECT generate_series($1::int, $1::int + 9)`, [round * 10 + 1])
      await switchAndArchive(cluster)
      const taken = await tidemark(['basebackup', ...repo, ...connection], env)
      expect(taken.exitCode, taken.err).toBe(0)
      ids.push(taken.out.trim())
    }
    const last = await switchAndArchive(cluster)
    const [older, newer] = ids as [string, string]

    const text = await tidemark(['backups', ...repo], env)
    expect(text.exitCode, text.err).toBe(0)
    expect(text.out.match(new RegExp(`: recoverable to [0-9A-F]+/[0-9A-F]+ \\(${last}\\) on timeline 1`, 'g'))).toHaveLength(2)
    const listed = JSON.parse((await tidemark(['backups', ...repo, '--json'], env)).out) as ListingJson
    expect(listed.backups.map((backup) => [backup.id, backup.wal.consistent, backup.wal.recoverableTo?.segment])).toEqual([
      [older, true, last],
      [newer, true, last],
    ])
    const newerStart = listed.backups[1]?.wal.startSegment ?? ''

    const dry = JSON.parse((await tidemark(['expire', ...repo, '--retain-full', '1', '--dry-run', '--json'], env)).out) as ExpireJson
    expect(dry).toMatchObject({ dryRun: true, kept: [newer], expired: [older], walKeptFrom: newerStart })
    expect(dry.walRemoved.length).toBeGreaterThan(0)
    expect(dry.walRemoved.every((name) => name.slice(0, 24) < newerStart)).toBe(true)
    expect((JSON.parse((await tidemark(['backups', ...repo, '--json'], env)).out) as ListingJson).backups).toHaveLength(2)

    const expired = await tidemark(['expire', ...repo, '--retain-full', '1'], env)
    expect(expired.exitCode, expired.err).toBe(0)
    expect(expired.out).toContain(`keeping 1 backup(s): ${newer}\n`)
    expect(expired.out).toContain(`removed backup ${older} (ended `)
    expect(expired.out).toContain(`removed ${dry.walRemoved.length} WAL file(s) before ${newerStart}:`)

    const after = JSON.parse((await tidemark(['backups', ...repo, '--json'], env)).out) as ListingJson
    expect(after.backups.map((backup) => [backup.id, backup.wal.consistent, backup.wal.recoverableTo?.segment])).toEqual([[newer, true, last]])
    // Nothing is left to remove: a second run removes no backup and no WAL.
    const again = JSON.parse((await tidemark(['expire', ...repo, '--retain-full', '1', '--json'], env)).out) as ExpireJson
    expect(again).toMatchObject({ expired: [], walRemoved: [] })
    await cluster.stop()
  }, 240_000)
})
