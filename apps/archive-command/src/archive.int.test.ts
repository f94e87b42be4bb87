// A live server archives through `tidemark-wal push`: every segment of many WAL switches arrives,
// get returns identical bytes, re-pushes are idempotent, conflicts and other clusters are refused,
// compressed archives round-trip, and cleanup keeps exactly what it should.
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSampleTable, scratchDir, startCluster, stopAllClusters, switchWal, testMajors } from '@tidemark/test-fixtures'
import { DirectoryWalRepository, readSegmentHeader, segmentFileNamesBetween } from '@tidemark/wal'
import { buildBundle, runBin, serverRepo, systemIdentifier, waitArchived, walCommand, walFileName } from './testing/wal-server.js'

const SEGMENT_SIZE = 16 * 1024 * 1024
const COMPRESSION: Record<number, string> = { 13: 'gzip', 14: 'lz4', 15: 'lz4', 16: 'zstd:7', 17: 'gzip:1', 18: 'zstd' }
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

/** A segment of the previous major's cluster: a real segment of another database system. */
let foreign: { name: string; bytes: Buffer; systemIdentifier: string } | undefined

beforeAll(() => buildBundle())
afterAll(() => stopAllClusters())

describe.each(testMajors())('tidemark-wal push on PostgreSQL %i', (major) => {
  it('archives every segment of 20 WAL switches, and get, re-push, conflicts, other clusters and cleanup behave', async () => {
    const repo = serverRepo()
    const compression = COMPRESSION[major] ?? 'none'
    const cluster = await startCluster({ major, archiveCommand: walCommand(['push', '--repo', repo, '--compress', compression, '%p', '%f']) })
    await createSampleTable(cluster, 'sample', 2000)
    let lastLsn = ''
    for (let i = 0; i < 20; i += 1) {
      await cluster.query(`INSERT INTO sample SELECT g, 'more', g, NULL FROM generate_series($1::int, $1::int + 99) AS g`, [10_000 + i * 100])
      lastLsn = await switchWal(cluster)
    }
    const last = await walFileName(cluster, lastLsn)
    const stats = await waitArchived(cluster, last)
    expect(stats.failed_count).toBe('0')

    // Every segment from the first to the last switched one is there, and the repository is bound to this cluster.
    const repository = new DirectoryWalRepository(repo)
    const expected = segmentFileNamesBetween('000000010000000000000001', last, SEGMENT_SIZE)
    expect(expected.length).toBeGreaterThanOrEqual(20)
    const archived = await repository.list()
    expect(archived.filter((name) => name <= last)).toEqual(expected)
    const sysid = await systemIdentifier(cluster)
    expect(await repository.readIdentity()).toEqual({ systemIdentifier: sysid, segmentSize: SEGMENT_SIZE, flavor: 'postgresql', major })
    expect((await repository.head(last))?.compression).toBe(compression.split(':')[0])

    // get returns the bytes PostgreSQL archived (the segments are still in pg_wal).
    const work = scratchDir('wal-get')
    for (const name of expected.slice(-3)) {
      const original = readFileSync(join(cluster.dataDir, 'pg_wal', name))
      expect(readSegmentHeader(original, { fileName: name }).format).toEqual({ flavor: 'postgresql', major })
      const got = await runBin(['get', '--repo', repo, name, join(work, 'RECOVERYXLOG')])
      expect(got).toEqual({ code: 0, stdout: '', stderr: '' })
      expect(readFileSync(join(work, 'RECOVERYXLOG')).equals(original)).toBe(true)
    }
    const missing = await runBin(['get', '--repo', repo, '00000002.history', join(work, 'RECOVERYHISTORY')])
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'tidemark-wal: 00000002.history not found in the repository [TIDEMARK_ERR_WAL_NOT_FOUND]\n' })

    // An identical re-push succeeds; a conflicting one is refused and the archive keeps the original.
    const lastPath = join(cluster.dataDir, 'pg_wal', last)
    const original = readFileSync(lastPath)
    expect(await runBin(['push', '--repo', repo, lastPath, last])).toEqual({ code: 0, stdout: '', stderr: '' })
    const changed = Buffer.from(original)
    changed[100_000] = (changed[100_000] ?? 0) ^ 0xff
    const changedPath = join(work, last)
    writeFileSync(changedPath, changed)
    const conflict = await runBin(['push', '--repo', repo, changedPath, last])
    expect(conflict.code).toBe(3)
    expect(conflict.stderr).toContain(`archived sha256 ${sha256(original)}, pushed sha256 ${sha256(changed)}`)
    expect(conflict.stderr).toMatch(/\[TIDEMARK_ERR_WAL_CONFLICT\]\n$/)
    expect((await repository.head(last))?.sha256).toBe(sha256(original))
    const roundTrip = await runBin(['get', '--repo', repo, last, join(work, 'after-conflict')])
    expect(roundTrip.code).toBe(0)
    expect(readFileSync(join(work, 'after-conflict')).equals(original)).toBe(true)

    // A segment of another cluster is refused, naming both system identifiers.
    const other = foreign ?? { name: last, bytes: withSystemIdentifier(original, 4242424242424242424n), systemIdentifier: '4242424242424242424' }
    const otherPath = join(work, `other-${other.name}`)
    writeFileSync(otherPath, other.bytes)
    const refused = await runBin(['push', '--repo', repo, otherPath, other.name])
    expect(refused.code).toBe(3)
    expect(refused.stderr).toContain(`belongs to database system ${other.systemIdentifier} but the repository is bound to system ${sysid}`)
    foreign = { name: last, bytes: original, systemIdentifier: sysid }

    // cleanup keeps %r and everything after it, and removes exactly the older segments.
    const keepFrom = expected[10] ?? ''
    const dryRun = await runBin(['cleanup', '--repo', repo, '-n', keepFrom])
    expect(dryRun.stdout.trim().split('\n')).toEqual(expected.slice(0, 10))
    expect(await repository.list()).toEqual(archived)
    expect(await runBin(['cleanup', '--repo', repo, keepFrom])).toEqual({ code: 0, stdout: '', stderr: '' })
    expect(await repository.list()).toEqual(archived.filter((name) => name >= keepFrom))

    // The server keeps archiving into the repository after all this.
    const next = await walFileName(cluster, await switchWal(cluster))
    expect((await waitArchived(cluster, next)).failed_count).toBe('0')
    await cluster.stop()
  })
})

function withSystemIdentifier(segment: Buffer, id: bigint): Buffer {
  const copy = Buffer.from(segment)
  copy.writeBigUInt64LE(id, 24)
  return copy
}
