// The restore side on tidemark's own backups (runBaseBackup), on the majors of testMajors(): a tar
// backup (WAL streamed into pg_wal.tar, or fetched) in each compression passes verify, and extracts
// into a data directory that starts with identical rows; a plain backup passes verify.
import { join } from 'node:path'
import {
  chownTree,
  createSampleTable,
  scratchDir,
  serverOsUser,
  startCluster,
  startExistingCluster,
  stopAllClusters,
  tableDigest,
  testMajors,
  type Cluster,
} from '@tidemark/test-fixtures'
import { afterAll, describe, expect, it } from 'vitest'
import { runBaseBackup } from './basebackup.js'
import { parseCompressionSpec } from './compression-spec.js'
import { extractBackup } from './extract-backup.js'
import { backupRequest } from './testing/backup-request.js'
import { clusterTablespaces } from './testing/extract-backups.js'
import { verifyBackup } from './verify-backup.js'

afterAll(stopAllClusters)

async function digests(cluster: Cluster): Promise<unknown> {
  return { base: await tableDigest(cluster, 'in_base'), tablespace: await tableDigest(cluster, 'in_ts') }
}

const VARIANTS = [
  { compression: 'none', walMethod: 'stream' },
  { compression: 'gzip', walMethod: 'fetch' },
  { compression: 'lz4', walMethod: 'stream' },
  { compression: 'zstd', walMethod: 'fetch' },
] as const

describe("extract and verify of tidemark's own backups", () => {
  for (const major of testMajors()) {
    it(`PostgreSQL ${major}: tar backups in every compression verify and extract to identical rows; a plain backup verifies`, async () => {
      const cluster = await startCluster({ major, tablespaces: ['ts1'] })
      await createSampleTable(cluster, 'in_base', 1500)
      await createSampleTable(cluster, 'in_ts', 600, { tablespace: 'ts1' })
      const expected = await digests(cluster)
      const [tablespace] = clusterTablespaces(cluster)
      for (const { compression, walMethod } of VARIANTS) {
        const backup = join(scratchDir(`tidemark-bb-${compression}`), 'backup')
        await runBaseBackup(backupRequest(cluster, backup, { format: 'tar', walMethod, compression: parseCompressionSpec(compression) }))
        const verified = await verifyBackup(backup)
        expect(verified.problems, `${compression} ${walMethod}`).toEqual([])
        expect(verified.walSegments).toBeGreaterThan(0)
        const work = scratchDir(`tidemark-extract-${compression}`)
        const location = join(work, 'ts1')
        const result = await extractBackup({
          source: backup,
          targetDir: join(work, 'data'),
          tablespaceMappings: [{ oldDir: tablespace?.location ?? '', newDir: location }],
          sync: false,
        })
        expect(result.archives.find((archive) => archive.role === 'base')?.compression).toBe(compression)
        chownTree(location, serverOsUser())
        const restored = await startExistingCluster({ major, dataDir: join(work, 'data') })
        try {
          expect(await digests(restored), `${compression} ${walMethod}`).toEqual(expected)
        } finally {
          await restored.stop()
        }
      }
      const plain = join(scratchDir('tidemark-bb-plain'), 'backup')
      const ts = join(scratchDir('tidemark-bb-plain-ts'), 'ts1')
      await runBaseBackup(
        backupRequest(cluster, plain, { format: 'plain', walMethod: 'stream', tablespaceMappings: [{ oldDir: tablespace?.location ?? '', newDir: ts }] })
      )
      expect((await verifyBackup(plain)).problems).toEqual([])
      await cluster.stop()
    })
  }
})
