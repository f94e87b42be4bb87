import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  chownTree,
  createSampleTable,
  debianTool,
  missingToolMessage,
  runAs,
  scratchDir,
  serverOsUser,
  startCluster,
  startExistingCluster,
  stopAllClusters,
  switchWal,
  tableDigest,
  testMajors,
  type Cluster,
  type PgMajor,
} from '@tidemark/test-fixtures'
import { runBaseBackup } from './basebackup.js'
import { parseCompressionSpec } from './compression-spec.js'
import { backupRequest } from './testing/backup-request.js'
import { restoreWithGnuTar } from './testing/gnu-tar-restore.js'

afterAll(stopAllClusters)

/** Keeps writing while the backup runs, so the streamed WAL has to carry real changes. */
async function withWrites<T>(cluster: Cluster, work: () => Promise<T>): Promise<T> {
  let running = true
  const writer = (async () => {
    let i = 0
    while (running) {
      await cluster.query(`INSERT INTO churn SELECT g FROM generate_series(1, 500) g`)
      if (++i % 5 === 0) {
        await switchWal(cluster)
      }
    }
  })()
  try {
    return await work()
  } finally {
    running = false
    await writer
  }
}

async function verifyWithDebian(major: PgMajor, backupDir: string): Promise<void> {
  const tool = debianTool('pg_verifybackup')
  if (!tool) {
    console.warn(missingToolMessage('pg_verifybackup'))
    return
  }
  // Debian's is PostgreSQL 15's: it parses WAL of its own major only, and manifests up to version 1.
  const args = major === 15 ? [backupDir] : ['-n', backupDir]
  const result = await runAs(serverOsUser(), tool, args)
  expect(result.stderr + result.stdout).toMatch(/backup successfully verified/)
}

describe.each(testMajors())('basebackup -X stream of PostgreSQL %i', (major) => {
  it('plain, with writes during the backup, starts with the same rows', async () => {
    const cluster = await startCluster({ major })
    await createSampleTable(cluster, 'rows', 5000)
    await cluster.query('CREATE TABLE churn (n int)')
    const dir = scratchDir('bb')
    const target = join(dir, 'backup')
    const result = await withWrites(cluster, () => runBaseBackup(backupRequest(cluster, target, { walMethod: 'stream' })))
    const expected = await tableDigest(cluster, 'rows')
    const walFiles = readdirSync(join(target, 'pg_wal')).filter((name) => /^[0-9A-F]{24}$/.test(name))
    expect(walFiles.length).toBeGreaterThan(0)
    expect(readdirSync(join(target, 'pg_wal')).some((name) => name.endsWith('.partial'))).toBe(false)
    expect(result.endLsn).not.toBe(result.startLsn)
    await cluster.stop()
    const restored = await startExistingCluster({ major, dataDir: target })
    expect(await tableDigest(restored, 'rows')).toEqual(expected)
    await restored.stop()
  })

  it('tar -Z 9 with a tablespace and pg_wal.tar restores with GNU tar', async () => {
    const cluster = await startCluster({ major, tablespaces: ['ts_tar'] })
    await createSampleTable(cluster, 'base_rows', 2000)
    await createSampleTable(cluster, 'ts_rows', 2000, { tablespace: 'ts_tar' })
    const expected = [await tableDigest(cluster, 'base_rows'), await tableDigest(cluster, 'ts_rows')]
    const dir = scratchDir('bb')
    const target = join(dir, 'backup')
    await runBaseBackup(backupRequest(cluster, target, { format: 'tar', walMethod: 'stream', compression: parseCompressionSpec('9') }))
    const names = readdirSync(target).sort()
    expect(names).toContain('base.tar.gz')
    expect(names).toContain('pg_wal.tar.gz')
    expect(names.some((name) => /^\d+\.tar\.gz$/.test(name))).toBe(true)
    await cluster.stop()
    const dataDir = join(dir, 'restored')
    restoreWithGnuTar(target, dataDir, (oid) => join(dir, `ts-${oid}`))
    for (const name of readdirSync(dir).filter((n) => n.startsWith('ts-'))) {
      chownTree(join(dir, name), serverOsUser())
    }
    const restored = await startExistingCluster({ major, dataDir })
    expect([await tableDigest(restored, 'base_rows'), await tableDigest(restored, 'ts_rows')]).toEqual(expected)
    await restored.stop()
  })

  it('tar without compression is plain POSIX tar', async () => {
    const cluster = await startCluster({ major })
    await createSampleTable(cluster, 'rows', 1000)
    const expected = await tableDigest(cluster, 'rows')
    const dir = scratchDir('bb')
    const target = join(dir, 'backup')
    await runBaseBackup(backupRequest(cluster, target, { format: 'tar', walMethod: 'stream' }))
    expect(readdirSync(target).sort()).toEqual(['backup_manifest', 'base.tar', 'pg_wal.tar'])
    await cluster.stop()
    const dataDir = join(dir, 'restored')
    const listings = restoreWithGnuTar(target, dataDir, (oid) => join(dir, `ts-${oid}`))
    expect(listings['base.tar']).toContain('PG_VERSION')
    const restored = await startExistingCluster({ major, dataDir })
    expect(await tableDigest(restored, 'rows')).toEqual(expected)
    await restored.stop()
  })
})

// Every major appears at least once: the ones the full suites above skip by default get a plain
// streamed backup, checked by restore and by Debian's pg_verifybackup.
const others = ([13, 14, 15, 16, 17, 18] as const).filter((major) => !testMajors().includes(major))
describe.each(others)('basebackup of PostgreSQL %i', (major) => {
  it('plain -X stream restores and pg_verifybackup accepts it where it can read the manifest', async () => {
    const cluster = await startCluster({ major })
    await createSampleTable(cluster, 'rows', 1500)
    const expected = await tableDigest(cluster, 'rows')
    const dir = scratchDir('bb')
    const target = join(dir, 'backup')
    await runBaseBackup(backupRequest(cluster, target, { walMethod: 'stream', manifestChecksums: 'SHA256' }))
    chownTree(target, serverOsUser())
    if (major <= 16) {
      await verifyWithDebian(major, target)
    }
    await cluster.stop()
    const restored = await startExistingCluster({ major, dataDir: target })
    expect(await tableDigest(restored, 'rows')).toEqual(expected)
    await restored.stop()
  })
})

describe('basebackup manifests and Debian pg_verifybackup', () => {
  it('accepts a PostgreSQL 13 plain backup manifest', async () => {
    const cluster = await startCluster({ major: 13 })
    const target = join(scratchDir('bb'), 'backup')
    await runBaseBackup(backupRequest(cluster, target, { walMethod: 'fetch' }))
    expect(existsSync(join(target, 'backup_manifest'))).toBe(true)
    chownTree(target, serverOsUser())
    await verifyWithDebian(13, target)
    await cluster.stop()
  })
})
