import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { embeddedBinDir, startCluster, stopAllClusters } from '@tidemark/test-fixtures'
import { dataDirMajor, findPgCtl, startServer } from './pg-ctl.js'
import { runningPostmasterPid } from './postmaster.js'

afterAll(stopAllClusters)

describe('pg_ctl and postmaster helpers', () => {
  it('see a running server, find pg_ctl of its major and start it again as its owner', async () => {
    const cluster = await startCluster({ major: 15 })
    expect(await runningPostmasterPid(cluster.dataDir)).toBe(cluster.pid())
    expect(await dataDirMajor(cluster.dataDir)).toBe(15)
    await cluster.stop({ keepFiles: true })
    expect(await runningPostmasterPid(cluster.dataDir)).toBeUndefined()

    const pgCtl = await findPgCtl(15, embeddedBinDir(15))
    await expect(findPgCtl(16, embeddedBinDir(15))).rejects.toThrow(/no pg_ctl of PostgreSQL 16 found/)
    await startServer({ dataDir: cluster.dataDir, pgCtl, logFile: join(cluster.baseDir, 'restart.log'), port: cluster.port })
    const pid = await runningPostmasterPid(cluster.dataDir)
    expect(pid).toBeDefined()
    const [row] = await cluster.query<{ one: number }>('SELECT 1 AS one')
    expect(row?.one).toBe(1)
    await cluster.stop()
  })
})
