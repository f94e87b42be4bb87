// Every supported major archives through tidemark-wal at least once in a default run: the majors
// the other suites do not cover get a short round here (a few switches, the repository binds to
// the right system and page magic, get returns the bytes).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scratchDir, startCluster, stopAllClusters, SUPPORTED_MAJORS, switchWal, testMajors, type PgMajor } from '@tidemark/test-fixtures'
import { DirectoryWalRepository } from '@tidemark/wal'
import { buildBundle, runBin, serverRepo, systemIdentifier, waitArchived, walCommand, walFileName } from './testing/wal-server.js'

/** Covered elsewhere: testMajors() by archive.int.test.ts, 14 and 15 by recovery.int.test.ts. */
const covered = new Set<number>([...testMajors(), 14, 15])
const majors: PgMajor[] = SUPPORTED_MAJORS.filter((major) => !covered.has(major))

beforeAll(() => buildBundle())
afterAll(() => stopAllClusters())

describe('tidemark-wal on the remaining majors', () => {
  it('covers every supported major across the integration suites', () => {
    expect(new Set([...covered, ...majors])).toEqual(new Set(SUPPORTED_MAJORS))
  })

  it.each(majors)('archives and restores segments of PostgreSQL %i', async (major) => {
    const repo = serverRepo()
    const cluster = await startCluster({ major, archiveCommand: walCommand(['push', '--repo', repo, '--compress', 'zstd', '%p', '%f']) })
    let lsn = ''
    for (let i = 0; i < 3; i += 1) {
      lsn = await switchWal(cluster)
    }
    const last = await walFileName(cluster, lsn)
    await waitArchived(cluster, last)
    const repository = new DirectoryWalRepository(repo)
    expect(await repository.readIdentity()).toMatchObject({ systemIdentifier: await systemIdentifier(cluster), flavor: 'postgresql', major })
    const target = join(scratchDir('wal-get'), 'RECOVERYXLOG')
    expect((await runBin(['get', '--repo', repo, last, target])).code).toBe(0)
    expect(readFileSync(target).equals(readFileSync(join(cluster.dataDir, 'pg_wal', last)))).toBe(true)
    await cluster.stop()
  })
})
