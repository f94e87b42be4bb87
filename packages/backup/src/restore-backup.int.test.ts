// restore against real servers (the majors of testMajors(): 13 and 18 by default): refused while
// the server runs with nothing touched; a failure part-way puts the old data back; then a stopped
// server with a tablespace is restored (pg_basebackup's tar backup up to 15, a plain copy above),
// started as its OS user, and holds the backup's rows, with the old data kept aside.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  createSampleTable,
  embeddedBinDir,
  scratchDir,
  startCluster,
  stopAllClusters,
  tableDigest,
  testMajors,
  type Cluster,
} from '@tidemark/test-fixtures'
import { afterAll, describe, expect, it } from 'vitest'
import { RestoreFailedError, RestoreServerRunningError } from './errors.js'
import { restoreBackup } from './restore-backup.js'
import { clusterTablespaces, coldPlainBackup, pgBaseBackup, pgBaseBackupTool } from './testing/extract-backups.js'

afterAll(stopAllClusters)

async function digests(cluster: Cluster): Promise<unknown> {
  return { base: await tableDigest(cluster, 'in_base'), tablespace: await tableDigest(cluster, 'in_ts') }
}

function listing(dir: string): string[] {
  return readdirSync(dir).sort()
}

/** A copy of a tar backup whose base archive is cut in half. */
function truncatedCopy(backup: string): string {
  const copy = join(scratchDir('restore-truncated'), 'backup')
  mkdirSync(copy)
  for (const name of readdirSync(backup)) {
    copyFileSync(join(backup, name), join(copy, name))
  }
  const base = readdirSync(copy).find((name) => name.startsWith('base.tar')) ?? ''
  truncateSync(join(copy, base), Math.floor(statSync(join(copy, base)).size / 2))
  return copy
}

describe('restoreBackup', () => {
  for (const major of testMajors()) {
    const kind = major <= 15 && pgBaseBackupTool ? 'tar' : 'plain'
    it(`PostgreSQL ${major} (${kind} backup): refuses a running server, puts the data back after a failure, restores a stopped one with its tablespace`, async () => {
      const cluster = await startCluster({ major, tablespaces: ['ts1'] })
      await createSampleTable(cluster, 'in_base', 3000)
      await createSampleTable(cluster, 'in_ts', 1000, { tablespace: 'ts1' })
      const expected = await digests(cluster)
      const [tablespace] = clusterTablespaces(cluster)
      const backup = kind === 'tar' ? pgBaseBackup(cluster, ['-Ft', '-Xfetch', '-z']) : await coldPlainBackup(cluster)
      await cluster.query(`INSERT INTO in_base SELECT g, 'late', 0, NULL FROM generate_series(100001, 100500) AS g`)
      await cluster.query(`DELETE FROM in_ts WHERE id <= 100`)
      await cluster.query(`CREATE TABLE after_backup (id int)`)
      const changed = await digests(cluster)
      expect(changed).not.toEqual(expected)
      const aside = join(cluster.baseDir, 'aside')

      // 1. The server runs: refused, nothing touched.
      const before = listing(cluster.baseDir)
      const pid = cluster.pid()
      await expect(restoreBackup({ backup, dataDir: cluster.dataDir, asideDir: aside })).rejects.toBeInstanceOf(RestoreServerRunningError)
      expect(cluster.pid()).toBe(pid)
      expect(listing(cluster.baseDir)).toEqual(before)
      await cluster.stop({ keepFiles: true })

      // 2. A failure after the move aside: the old data directory and tablespace are put back.
      const dataFiles = listing(cluster.dataDir)
      const tablespaceFiles = listing(tablespace?.location ?? '')
      const busy = join(scratchDir('restore-busy'), 'ts')
      mkdirSync(busy)
      writeFileSync(join(busy, 'occupied'), '')
      const failing =
        kind === 'tar'
          ? restoreBackup({ backup: truncatedCopy(backup), dataDir: cluster.dataDir, asideDir: aside, sync: false })
          : restoreBackup({
              backup,
              dataDir: cluster.dataDir,
              asideDir: aside,
              sync: false,
              tablespaceMappings: [{ oldDir: readlinkSync(join(backup, 'pg_tblspc', tablespace?.oid ?? '')), newDir: busy }],
            })
      await expect(failing).rejects.toBeInstanceOf(RestoreFailedError)
      await expect(failing).rejects.toThrow(/the old data was put back/)
      expect(listing(cluster.dataDir)).toEqual(dataFiles)
      expect(listing(tablespace?.location ?? '')).toEqual(tablespaceFiles)
      expect(existsSync(aside)).toBe(false)
      expect(listing(busy)).toEqual(['occupied'])

      // 3. The restore itself, started as the data directory's OS user.
      const messages: string[] = []
      const result = await restoreBackup({
        backup,
        dataDir: cluster.dataDir,
        asideDir: aside,
        port: cluster.port,
        start: true,
        pgBin: embeddedBinDir(major),
        sync: false,
        onMessage: (text) => messages.push(text),
      })
      expect(result.started).toBe(true)
      expect(result.asideDir).toBe(aside)
      expect(result.tablespaces).toEqual([{ oid: tablespace?.oid, location: tablespace?.location }])
      expect(await digests(cluster)).toEqual(expected)
      expect(await cluster.query(`SELECT to_regclass('after_backup') AS found`)).toEqual([{ found: null }])
      expect(readlinkSync(join(cluster.dataDir, 'pg_tblspc', tablespace?.oid ?? ''))).toBe(tablespace?.location)
      expect(readFileSync(join(cluster.dataDir, 'postgresql.auto.conf'), 'utf8')).toContain(`port = '${cluster.port}'`)
      // The old data is kept, whole.
      expect(listing(join(aside, 'data'))).toEqual(dataFiles)
      expect(listing(join(aside, 'tablespaces', tablespace?.oid ?? ''))).toEqual(tablespaceFiles)
      for (const step of ['step 1', 'step 2', 'step 3-4', 'step 5', 'step 6']) {
        expect(messages.some((line) => line.startsWith(step)), step).toBe(true)
      }
      await cluster.stop()
    })
  }
})
