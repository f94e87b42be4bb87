import { existsSync, statSync } from 'node:fs'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { startCluster, stopAllClusters, withCluster, type Cluster } from './cluster.js'
import { createSampleTable, tableDigest } from './data.js'
import { serverOsUser } from './os-user.js'
import { SUPPORTED_MAJORS } from './pg-binaries.js'
import { isProcessAlive, livePostmasterPid, scratchDir, sweepRunDir } from './run-dir.js'

afterAll(stopAllClusters)

async function identifySystem(cluster: Cluster): Promise<Record<string, unknown>> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: cluster.port,
    user: 'postgres',
    password: cluster.password,
    database: 'postgres',
    replication: 'database',
  } as pg.ClientConfig)
  await client.connect()
  try {
    const result = await client.query('IDENTIFY_SYSTEM')
    return result.rows[0] as Record<string, unknown>
  } finally {
    await client.end()
  }
}

describe.each(SUPPORTED_MAJORS)('PostgreSQL %i cluster', (major) => {
  it('starts, answers a query and accepts a replication connection', async () => {
    await withCluster({ major }, async (cluster) => {
      const [row] = await cluster.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)
      expect(Math.floor(Number(row?.v) / 10000)).toBe(major)
      const identity = await identifySystem(cluster)
      expect(String(identity.systemid)).toMatch(/^\d{10,}$/)
      expect(Number(identity.timeline)).toBe(1)
      const [checksums] = await cluster.query<{ data_checksums: string }>(`SHOW data_checksums`)
      expect(checksums?.data_checksums).toBe('on')
    })
  })
})

describe('cluster fixture', () => {
  it('runs the server as the unprivileged OS user when started as root', async () => {
    await withCluster({ major: 18 }, async (cluster) => {
      const pid = cluster.pid()
      expect(pid).toBeDefined()
      const owner = statSync(`/proc/${pid}`).uid
      expect(owner).toBe(serverOsUser().uid)
      if (process.getuid?.() === 0) {
        expect(owner).not.toBe(0)
        expect(serverOsUser().switched).toBe(true)
      }
    })
  })

  it('is stopped and removed when the test body throws', async () => {
    let seen: Cluster | undefined
    let pid: number | undefined
    await expect(
      withCluster({ major: 13 }, async (cluster) => {
        seen = cluster
        pid = cluster.pid()
        throw new Error('test failed on purpose')
      })
    ).rejects.toThrow('test failed on purpose')
    expect(pid).toBeDefined()
    expect(isProcessAlive(pid as number)).toBe(false)
    expect(existsSync(seen?.baseDir as string)).toBe(false)
  })

  it('sweeps a server a crashed test left running', async () => {
    const cluster = await startCluster({ major: 16 })
    const pid = cluster.pid()
    expect(pid).toBeDefined()
    // Pretend the test died: nothing calls stop(); the run-level sweep must still stop it.
    const { stopped } = await sweepRunDir(cluster.baseDir)
    expect(stopped).toBe(1)
    expect(livePostmasterPid(cluster.dataDir)).toBeUndefined()
    expect(existsSync(cluster.baseDir)).toBe(false)
  })

  it.each(['md5', 'scram-sha-256'] as const)('requires the password with %s authentication', async (auth) => {
    await withCluster({ major: 17, auth, password: 'right horse' }, async (cluster) => {
      const connect = (password: string) =>
        new pg.Client({ host: '127.0.0.1', port: cluster.port, user: 'postgres', password, database: 'postgres' })
      const good = connect('right horse')
      await good.connect()
      await good.end()
      await expect(connect('wrong').connect()).rejects.toThrow(/password authentication failed/)
    })
  })

  it('creates tablespaces outside the data directory and keeps rows there', async () => {
    await withCluster({ major: 14, tablespaces: ['ts_one'] }, async (cluster) => {
      await createSampleTable(cluster, 'in_ts', 500, { tablespace: 'ts_one' })
      const [row] = await cluster.query<{ location: string }>(
        `SELECT pg_tablespace_location(oid) AS location FROM pg_tablespace WHERE spcname = 'ts_one'`
      )
      expect(row?.location).toBe(cluster.tablespaces[0]?.location)
      expect((await tableDigest(cluster, 'in_ts')).rows).toBe(500)
    })
  })

  it('writes an archive_command with quotes and backslashes that the server reads back unchanged', async () => {
    const command = `test ! -f '/tmp/it''s here\\%f' && true`
    await withCluster({ major: 15, archiveCommand: command }, async (cluster) => {
      const [row] = await cluster.query<{ archive_command: string }>('SHOW archive_command')
      expect(row?.archive_command).toBe(command)
    })
  })

  it('makes scratch directories the server user can enter', () => {
    const dir = scratchDir('check')
    expect(statSync(dir).mode & 0o755).toBe(0o755)
  })
})
