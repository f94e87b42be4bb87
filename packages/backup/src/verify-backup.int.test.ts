// verify against real pg_basebackup backups (Debian's PG 15 client against servers 13 and 15) and,
// for 16-18, cold copies with a manifest of our ManifestBuilder:
// intact plain and tar backups (compressed or not, WAL streamed or fetched) pass; a flipped byte,
// a missing file, an extra file, a missing or damaged WAL segment and a truncated archive are each
// reported with their file.
import { cpSync, openSync, readdirSync, rmSync, truncateSync, writeFileSync, writeSync, closeSync, createReadStream, statSync } from 'node:fs'
import { join } from 'node:path'
import { openArchive } from '@tidemark/archive'
import {
  createSampleTable,
  missingToolMessage,
  scratchDir,
  startCluster,
  stopAllClusters,
  type Cluster,
  type PgMajor,
} from '@tidemark/test-fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { coldPlainBackupWithManifest, pgBaseBackup, pgBaseBackupTool } from './testing/extract-backups.js'
import { verifyBackup } from './verify-backup.js'

const MAJORS: readonly PgMajor[] = [13, 15]
afterAll(stopAllClusters)

function patch(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+')
  try {
    writeSync(fd, bytes, 0, bytes.length, offset)
  } finally {
    closeSync(fd)
  }
}

function copyOf(dir: string): string {
  const copy = join(scratchDir('verify-copy'), 'backup')
  cpSync(dir, copy, { recursive: true, verbatimSymlinks: true })
  return copy
}

function segments(dir: string): string[] {
  return readdirSync(join(dir, 'pg_wal')).filter((name) => /^[0-9A-F]{24}$/.test(name)).sort()
}

/** The byte offset of a file's data in an uncompressed tar (a short name: no extended header). */
async function dataOffset(tar: string, name: string): Promise<number> {
  const opened = await openArchive(createReadStream(tar), { archive: tar })
  for await (const { header } of opened.entries) {
    if (header.name === name) {
      return header.offset + 512
    }
  }
  throw new Error(`${name} is not in ${tar}`)
}

for (const major of MAJORS) {
  describe(`verifyBackup on PostgreSQL ${major} backups`, () => {
    let cluster: Cluster | undefined
    let relation = ''

    beforeAll(async () => {
      if (pgBaseBackupTool) {
        cluster = await startCluster({ major, tablespaces: ['ts1'] })
        await createSampleTable(cluster, 'in_base', 2000)
        await createSampleTable(cluster, 'in_ts', 500, { tablespace: 'ts1' })
        const [row] = await cluster.query<{ path: string }>(`SELECT pg_relation_filepath('in_base') AS path`)
        relation = row?.path ?? ''
      }
    })

    function live(context: { skip(): void }): Cluster | undefined {
      if (!cluster) {
        console.warn(missingToolMessage('pg_basebackup'))
        context.skip()
      }
      return cluster
    }

    it('passes intact plain and tar backups, and names every problem of a damaged plain backup with its file', async (context) => {
      const server = live(context)
      if (!server) {
        return
      }
      const ts = join(scratchDir('verify-ts'), 'ts1')
      const plain = pgBaseBackup(server, ['-Fp', '-Xstream', `-T${server.tablespaces[0]?.location ?? ''}=${ts}`])
      const intact = await verifyBackup(plain)
      expect(intact.problems).toEqual([])
      expect(intact).toMatchObject({ ok: true, format: 'plain' })
      expect(intact.checkedFiles).toBeGreaterThan(100)
      expect(intact.walSegments).toBeGreaterThan(0)
      for (const args of [['-Xfetch', '-z'], ['-Xstream', '--compress=client-lz4']]) {
        const tar = await verifyBackup(pgBaseBackup(server, ['-Ft', ...args]))
        expect(tar.problems, args.join(' ')).toEqual([])
        expect(tar.format).toBe('tar')
        expect(tar.walSegments).toBeGreaterThan(0)
      }

      const damaged = copyOf(plain)
      patch(join(damaged, relation), 100, Buffer.from([0x5a]))
      rmSync(join(damaged, 'global/pg_filenode.map'))
      writeFileSync(join(damaged, 'base/stray_file'), 'not from the server')
      const [firstSegment] = segments(damaged)
      rmSync(join(damaged, 'pg_wal', firstSegment ?? ''))
      const found = await verifyBackup(damaged)
      expect(found.ok).toBe(false)
      const named = found.problems.map((problem) => `${problem.kind} ${problem.file}`)
      expect(named).toContain(`checksum-mismatch ${relation}`)
      expect(named).toContain('missing global/pg_filenode.map')
      expect(named).toContain('extra base/stray_file')
      expect(named).toContain(`wal-missing pg_wal/${firstSegment ?? ''}`)
      expect(found.problems).toHaveLength(4)

      const badWal = copyOf(plain)
      patch(join(badWal, 'pg_wal', firstSegment ?? ''), 8, Buffer.alloc(8, 0x77))
      const wal = await verifyBackup(badWal)
      expect(wal.problems.map((problem) => `${problem.kind} ${problem.file}`)).toEqual([`wal-corrupt pg_wal/${firstSegment ?? ''}`])
      expect(wal.problems[0]?.detail).toMatch(/first page address .* is not at a segment start/)
    })

    it('names a changed file inside a tar archive and a truncated archive without extracting', async (context) => {
      const server = live(context)
      if (!server) {
        return
      }
      const tar = pgBaseBackup(server, ['-Ft', '-Xstream'])
      const base = join(tar, 'base.tar')
      patch(base, await dataOffset(base, 'PG_VERSION'), Buffer.from('9'))
      const tablespaceArchive = readdirSync(tar).find((name) => /^\d+\.tar$/.test(name)) ?? ''
      truncateSync(join(tar, tablespaceArchive), Math.floor(statSync(join(tar, tablespaceArchive)).size / 2))
      const found = await verifyBackup(tar)
      expect(found.ok).toBe(false)
      const named = found.problems.map((problem) => `${problem.kind} ${problem.file}`)
      expect(named).toContain('checksum-mismatch PG_VERSION')
      expect(named).toContain(`archive ${tablespaceArchive}`)
      const truncated = found.problems.find((problem) => problem.kind === 'archive')
      expect(truncated?.detail).toMatch(new RegExp(`^${tablespaceArchive}: truncated .* at byte offset \\d+`))
      // What the truncation cut off is missing; nothing else is wrong.
      expect(found.problems.filter((problem) => !['checksum-mismatch', 'archive', 'missing'].includes(problem.kind))).toEqual([])
      expect(found.problems.filter((problem) => problem.kind === 'missing').every((problem) => problem.file.startsWith('pg_tblspc/'))).toBe(true)

      // -X none: the files are right, the WAL to make them consistent is not there.
      const withoutWal = await verifyBackup(pgBaseBackup(server, ['-Ft', '-Xnone']))
      expect(withoutWal.problems.length).toBeGreaterThan(0)
      for (const problem of withoutWal.problems) {
        expect(problem.kind).toBe('wal-missing')
        expect(problem.file).toMatch(/^pg_wal\/[0-9A-F]{24}$/)
      }
      expect((await verifyBackup(pgBaseBackup(server, ['-Ft', '-Xnone']), { skipWal: true })).problems).toEqual([])
    })
  })
}

describe('verifyBackup on PostgreSQL 16-18 cold copies with a manifest', () => {
  for (const major of [16, 17, 18] as const) {
    it(`PostgreSQL ${major}: passes the intact copy, names a flipped byte and the missing WAL segment`, async () => {
      const cluster = await startCluster({ major, tablespaces: ['ts1'] })
      await createSampleTable(cluster, 'in_ts', 500, { tablespace: 'ts1' })
      const [row] = await cluster.query<{ path: string }>(`SELECT pg_relation_filepath('in_ts') AS path`)
      const backup = await coldPlainBackupWithManifest(cluster)
      await cluster.stop()
      const intact = await verifyBackup(backup)
      expect(intact.problems).toEqual([])
      expect(intact.walSegments).toBeGreaterThan(0)
      patch(join(backup, row?.path ?? ''), 8200, Buffer.from([0xa5]))
      const [needed] = intact.walRanges
      const walFiles = segments(backup)
      for (const name of walFiles) {
        rmSync(join(backup, 'pg_wal', name))
      }
      const found = await verifyBackup(backup)
      const named = found.problems.map((problem) => `${problem.kind} ${problem.file}`)
      expect(named[0]).toBe(`checksum-mismatch ${row?.path ?? ''}`)
      expect(named.slice(1).length).toBeGreaterThan(0)
      expect(named.slice(1).every((entry) => /^wal-missing pg_wal\/[0-9A-F]{24}$/.test(entry))).toBe(true)
      expect(needed?.timeline).toBe(1)
    })
  }
})
