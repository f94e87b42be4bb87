import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  chownTree,
  createSampleTable,
  serverOsUser,
  scratchDir,
  startCluster,
  startExistingCluster,
  stopAllClusters,
  tableDigest,
  testMajors,
} from '@tidemark/test-fixtures'
import { runBaseBackup } from './basebackup.js'
import { parseCompressionSpec } from './compression-spec.js'
import { parseTablespaceMappings } from './tablespace-mapping.js'
import { backupRequest } from './testing/backup-request.js'

afterAll(stopAllClusters)

describe.each(testMajors())('basebackup -X fetch of PostgreSQL %i', (major) => {
  it('plain with a tablespace relocated by -T starts with the same rows', async () => {
    const cluster = await startCluster({ major, tablespaces: ['ts_one'] })
    await createSampleTable(cluster, 'in_default', 2000)
    await createSampleTable(cluster, 'in_ts', 1500, { tablespace: 'ts_one' })
    const expected = [await tableDigest(cluster, 'in_default'), await tableDigest(cluster, 'in_ts')]
    const dir = scratchDir('bb')
    const target = join(dir, 'backup')
    const tsTarget = join(dir, 'ts-relocated')
    const result = await runBaseBackup(
      backupRequest(cluster, target, {
        walMethod: 'fetch',
        tablespaceMappings: parseTablespaceMappings([`${cluster.tablespaces[0]?.location}=${tsTarget}`]),
      })
    )
    expect(result.startLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/)
    expect(existsSync(join(target, 'backup_manifest'))).toBe(true)
    expect(readdirSync(tsTarget).length).toBeGreaterThan(0)
    await cluster.stop()
    chownTree(tsTarget, serverOsUser())
    const restored = await startExistingCluster({ major, dataDir: target })
    expect([await tableDigest(restored, 'in_default'), await tableDigest(restored, 'in_ts')]).toEqual(expected)
    await restored.stop()
  })

  it('tar -z writes archives GNU tar reads, and they restore', async () => {
    const cluster = await startCluster({ major })
    await createSampleTable(cluster, 'rows', 3000)
    const expected = await tableDigest(cluster, 'rows')
    const dir = scratchDir('bb')
    const target = join(dir, 'backup')
    await runBaseBackup(backupRequest(cluster, target, { walMethod: 'fetch', format: 'tar', compression: parseCompressionSpec('gzip') }))
    expect(readdirSync(target).sort()).toEqual(['backup_manifest', 'base.tar.gz'])
    const restoredDir = join(dir, 'restored')
    mkdirSync(restoredDir, { mode: 0o700 })
    execFileSync('tar', ['-xzf', join(target, 'base.tar.gz'), '-C', restoredDir])
    await cluster.stop()
    const restored = await startExistingCluster({ major, dataDir: restoredDir })
    expect(await tableDigest(restored, 'rows')).toEqual(expected)
    await restored.stop()
  })
})

describe('basebackup refusals', () => {
  it('refuses a non-empty target directory before connecting', async () => {
    const dir = scratchDir('bb')
    writeFileSync(join(dir, 'precious'), 'keep')
    await expect(
      runBaseBackup(backupRequest({ socketDir: '/nonexistent', port: 1, password: '' } as never, dir))
    ).rejects.toMatchObject({ code: 'TIDEMARK_ERR_BACKUP_TARGET_NOT_EMPTY' })
  })

  it('refuses a plain backup of a same-server tablespace without -T, writing nothing', async () => {
    const cluster = await startCluster({ major: 16, tablespaces: ['ts_live'] })
    await createSampleTable(cluster, 't', 10, { tablespace: 'ts_live' })
    const dir = scratchDir('bb')
    const target = join(dir, 'backup')
    await expect(runBaseBackup(backupRequest(cluster, target, { walMethod: 'fetch' }))).rejects.toThrow(
      /relocate it with -T OLDDIR=NEWDIR or use -F tar/
    )
    expect(existsSync(target)).toBe(false)
    await cluster.stop()
  })
})
