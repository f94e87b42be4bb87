// restore_command = `tidemark-wal get` drives real recoveries to the end of the archive: a
// pg_basebackup taken without WAL (PostgreSQL 15, Debian's pg_basebackup) and a cold copy taken
// before the work (PostgreSQL 14). After promotion the servers archive their new timeline's history
// file into the same repository (which they asked for first and got exit 1).
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createSampleTable,
  debianTool,
  missingToolMessage,
  scratchDir,
  startCluster,
  startExistingCluster,
  stopAllClusters,
  switchWal,
  tableDigest,
  type Cluster,
} from '@tidemark/test-fixtures'
import { DirectoryWalRepository, SPOOL_DIR_NAME } from '@tidemark/wal'
import { buildBundle, serverRepo, waitArchived, waitFor, walCommand, walFileName } from './testing/wal-server.js'

beforeAll(() => buildBundle())
afterAll(() => stopAllClusters())

async function addWorkAndSwitch(cluster: Cluster, table: string, switches: number): Promise<string> {
  await createSampleTable(cluster, table, 3000)
  await cluster.query(`UPDATE sample SET label = 'changed after the base' WHERE id % 7 = 0`)
  let lsn = ''
  for (let i = 0; i < switches; i += 1) {
    await cluster.query(`INSERT INTO ${table} SELECT g, 'late', g, NULL FROM generate_series($1::int, $1::int + 49) AS g`, [100_000 + i * 50])
    lsn = await switchWal(cluster)
  }
  return walFileName(cluster, lsn)
}

async function waitPromoted(cluster: Cluster): Promise<void> {
  await waitFor('the end of recovery', async () => {
    const [row] = await cluster.query<{ recovering: boolean }>(`SELECT pg_is_in_recovery() AS recovering`)
    return row?.recovering === false
  })
}

async function expectTimelineTwoArchived(repo: string, restored: Cluster): Promise<void> {
  const repository = new DirectoryWalRepository(repo)
  await waitFor('00000002.history in the repository', async () => (await repository.list()).includes('00000002.history'))
  const [stats] = await restored.query<{ failed: string }>(`SELECT failed_count::text AS failed FROM pg_stat_archiver`)
  expect(stats?.failed).toBe('0')
}

describe('tidemark-wal get as restore_command', () => {
  it('recovers a pg_basebackup taken with -X none to the end of the archive, prefetching (PostgreSQL 15)', async (context) => {
    const pgBasebackup = debianTool('pg_basebackup')
    if (!pgBasebackup) {
      console.warn(missingToolMessage('pg_basebackup'))
      context.skip()
      return
    }
    const repo = serverRepo()
    const cluster = await startCluster({ major: 15, archiveCommand: walCommand(['push', '--repo', repo, '--compress', 'lz4', '%p', '%f']) })
    await createSampleTable(cluster, 'sample', 2000)
    const base = join(scratchDir('restore-15'), 'data')
    execFileSync(pgBasebackup, ['-D', base, '-X', 'none', '-c', 'fast', '-h', cluster.socketDir, '-p', String(cluster.port), '-U', 'postgres', '--no-sync'], {
      stdio: 'pipe',
    })
    const last = await addWorkAndSwitch(cluster, 'after_base', 8)
    await waitArchived(cluster, last)
    const expected = { sample: await tableDigest(cluster, 'sample'), after: await tableDigest(cluster, 'after_base') }
    await cluster.stop()

    expect(readdirSync(join(base, 'pg_wal')).filter((name) => /^[0-9A-F]{24}$/.test(name))).toEqual([])
    writeFileSync(join(base, 'recovery.signal'), '')
    const restored = await startExistingCluster({
      major: 15,
      dataDir: base,
      conf: [`restore_command = '${walCommand(['get', '--repo', repo, '--prefetch', '3', '%f', '%p'])}'`],
    })
    await waitPromoted(restored)
    expect(await tableDigest(restored, 'sample')).toEqual(expected.sample)
    expect(await tableDigest(restored, 'after_base')).toEqual(expected.after)
    // Recovery ended by asking for 00000002.history, which removed the prefetch spool.
    expect(existsSync(join(base, 'pg_wal', SPOOL_DIR_NAME))).toBe(false)
    await expectTimelineTwoArchived(repo, restored)
    await restored.stop()
  })

  it('recovers a cold copy from before the work, replaying everything after it from the archive (PostgreSQL 14, gzip)', async () => {
    const repo = serverRepo()
    const cluster = await startCluster({ major: 14, archiveCommand: walCommand(['push', '--repo', repo, '--compress', 'gzip', '%p', '%f']) })
    await createSampleTable(cluster, 'sample', 2000)
    await cluster.stop({ mode: 'fast', keepFiles: true })
    const image = join(scratchDir('restore-14'), 'data')
    cpSync(cluster.dataDir, image, { recursive: true })
    await cluster.start()
    const last = await addWorkAndSwitch(cluster, 'after_copy', 5)
    await waitArchived(cluster, last)
    const expected = { sample: await tableDigest(cluster, 'sample'), after: await tableDigest(cluster, 'after_copy') }
    await cluster.stop()

    writeFileSync(join(image, 'recovery.signal'), '')
    const restored = await startExistingCluster({
      major: 14,
      dataDir: image,
      conf: [`restore_command = '${walCommand(['get', '--repo', repo, '%f', '%p'])}'`],
    })
    await waitPromoted(restored)
    expect(await tableDigest(restored, 'sample')).toEqual(expected.sample)
    expect(await tableDigest(restored, 'after_copy')).toEqual(expected.after)
    await expectTimelineTwoArchived(repo, restored)
    await restored.stop()
  })
})
