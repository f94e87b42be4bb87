// extract against real backups of PostgreSQL 13-18: pg_basebackup's tar backups (Debian's PG 15
// client, servers 13-15) and GNU-tar cold copies (16-18), in every compression; the extracted data
// directory starts and holds the same rows, in the base and in a relocated tablespace.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import {
  chownTree,
  createSampleTable,
  missingToolMessage,
  scratchDir,
  serverOsUser,
  startCluster,
  startExistingCluster,
  stopAllClusters,
  tableDigest,
  type Cluster,
  type PgMajor,
} from '@tidemark/test-fixtures'
import { afterAll, describe, expect, it } from 'vitest'
import { extractBackup } from './extract-backup.js'
import { clusterTablespaces, coldTarBackup, pgBaseBackup, pgBaseBackupTool } from './testing/extract-backups.js'

afterAll(stopAllClusters)

type Compression = 'none' | 'gzip' | 'lz4' | 'zstd'

const PG_BASEBACKUP_ARGS: Record<Compression, string[]> = {
  none: [],
  gzip: ['-z'],
  lz4: ['--compress=client-lz4'],
  zstd: ['--compress=client-zstd'],
}

interface Case {
  readonly major: PgMajor
  /** pg_basebackup -F tar (with -X stream: a pg_wal archive) or a cold GNU-tar copy. */
  readonly source: 'pg_basebackup' | 'cold'
  readonly compressions: readonly Compression[]
}

const CASES: readonly Case[] = [
  { major: 13, source: 'pg_basebackup', compressions: ['none', 'gzip'] },
  { major: 14, source: 'pg_basebackup', compressions: ['lz4'] },
  { major: 15, source: 'pg_basebackup', compressions: ['zstd'] },
  { major: 16, source: 'cold', compressions: ['none'] },
  { major: 17, source: 'cold', compressions: ['lz4'] },
  { major: 18, source: 'cold', compressions: ['zstd', 'gzip'] },
]

async function digests(cluster: Cluster): Promise<unknown> {
  return { base: await tableDigest(cluster, 'in_base'), tablespace: await tableDigest(cluster, 'in_ts') }
}

describe('extractBackup of real tar backups', () => {
  for (const { major, source, compressions } of CASES) {
    it(`PostgreSQL ${major}, ${source}, ${compressions.join(' and ')}: the extracted data directory starts with identical rows`, async (context) => {
      if (source === 'pg_basebackup' && !pgBaseBackupTool) {
        console.warn(missingToolMessage('pg_basebackup'))
        context.skip()
        return
      }
      const cluster = await startCluster({ major, tablespaces: ['ts1'] })
      await createSampleTable(cluster, 'in_base', 2000)
      await createSampleTable(cluster, 'in_ts', 1000, { tablespace: 'ts1' })
      const expected = await digests(cluster)
      const [tablespace] = clusterTablespaces(cluster)
      for (const compression of compressions) {
        const backup =
          source === 'pg_basebackup'
            ? pgBaseBackup(cluster, ['-Ft', compression === 'gzip' ? '-Xfetch' : '-Xstream', ...PG_BASEBACKUP_ARGS[compression]])
            : await coldTarBackup(cluster, compression === 'none' ? undefined : compression)
        const work = scratchDir(`extract-pg${major}`)
        const target = join(work, 'data')
        const location = join(work, 'ts1')
        const result = await extractBackup({
          source: backup,
          targetDir: target,
          tablespaceMappings: [{ oldDir: tablespace?.location ?? '', newDir: location }],
          sync: false,
        })
        expect(result.flavor).toBe('postgresql')
        // pg_basebackup 15 compresses a streamed pg_wal.tar with gzip only.
        const data = result.archives.filter((archive) => archive.role !== 'wal')
        expect(new Set(data.map((archive) => archive.compression))).toEqual(new Set([compression]))
        expect(result.archives.map((archive) => archive.role).sort()).toEqual(
          source === 'pg_basebackup' && compression !== 'gzip' ? ['base', 'tablespace', 'wal'] : ['base', 'tablespace']
        )
        expect(result.tablespaces).toEqual([{ oid: tablespace?.oid, location }])
        expect(readdirSync(join(target, 'pg_wal')).some((name) => /^[0-9A-F]{24}$/.test(name))).toBe(true)
        chownTree(location, serverOsUser())
        const restored = await startExistingCluster({ major, dataDir: target })
        try {
          expect(await digests(restored)).toEqual(expected)
        } finally {
          await restored.stop()
        }
      }
      await cluster.stop()
    })
  }
})
