import { startCluster, switchWal, testMajors, type Cluster } from '@tidemark/test-fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, parseLsn, type Connection, type Lsn } from './index.js'

const SEGMENT = 16n * 1024n * 1024n

function replicationConnection(cluster: Cluster, applicationName = 'wire-test'): Promise<Connection> {
  return connect({ host: cluster.host, port: cluster.port, user: 'postgres', replication: true, applicationName, env: {} })
}

async function walsenderPid(cluster: Cluster, applicationName: string): Promise<number> {
  const rows = await cluster.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND backend_type = 'walsender'`, [applicationName])
  const pid = rows[0]?.pid
  if (!pid) {
    throw new Error(`no walsender for ${applicationName}`)
  }
  return pid
}

for (const major of testMajors()) {
  describe(`START_REPLICATION on PostgreSQL ${major}`, () => {
    let cluster: Cluster
    beforeAll(async () => {
      cluster = await startCluster({ major })
    })
    afterAll(async () => {
      await cluster?.stop({ mode: 'immediate' })
    })

    it('receives contiguous WAL across pg_switch_wal through a slot, then stops cleanly', async () => {
      const connection = await replicationConnection(cluster)
      try {
        await connection.createReplicationSlot('wire_slot', { reserveWal: true })
        const identity = await connection.identifySystem()
        const start = identity.xlogPos - (identity.xlogPos % SEGMENT)
        const wal = await connection.startReplication({ startLsn: start, timeline: identity.timeline, slot: 'wire_slot', statusIntervalMs: 500 })
        await cluster.query('CREATE TABLE t (x int)')
        const switchedAt = parseLsn(await switchWal(cluster))
        await cluster.query('INSERT INTO t VALUES (1)')
        let expected: Lsn = start
        let bytes = 0n
        for await (const event of wal) {
          if (event.kind !== 'xlog') {
            continue
          }
          expect(event.walStart).toBe(expected)
          expected = event.walStart + BigInt(event.data.length)
          bytes += BigInt(event.data.length)
          wal.acknowledge(expected)
          if (expected > switchedAt + 1024n) {
            wal.stop()
          }
        }
        expect(wal.receivedLsn).toBeGreaterThan(switchedAt)
        expect(bytes).toBeGreaterThan(SEGMENT - (identity.xlogPos % SEGMENT) - 1n)
        // The slot followed the acknowledged position, and the connection is free again.
        const [slot] = await cluster.query<{ restart_lsn: string }>(`SELECT restart_lsn::text FROM pg_replication_slots WHERE slot_name = 'wire_slot'`)
        expect(parseLsn(slot?.restart_lsn ?? '0/0')).toBeGreaterThan(start)
        if (major >= 15) {
          expect(await connection.readReplicationSlot('wire_slot')).toMatchObject({ slotType: 'physical', restartTimeline: 1 })
          expect(await connection.readReplicationSlot('no_such_slot')).toBeUndefined()
        }
        await connection.dropReplicationSlot('wire_slot')
      } finally {
        await connection.close()
      }
    })

    it('creates and uses a temporary slot that disappears with the session', async () => {
      const connection = await replicationConnection(cluster)
      try {
        const slot = await connection.createReplicationSlot('wire_temp', { temporary: true, reserveWal: true })
        expect(slot.slotName).toBe('wire_temp')
        const [row] = await cluster.query<{ temporary: boolean }>(`SELECT temporary FROM pg_replication_slots WHERE slot_name = 'wire_temp'`)
        expect(row?.temporary).toBe(true)
      } finally {
        await connection.close()
      }
      const deadline = Date.now() + 5000
      while ((await cluster.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name = 'wire_temp'`)).length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(await cluster.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name = 'wire_temp'`)).toHaveLength(0)
    })

    it('fails with StalledError when the server stops answering', async () => {
      const connection = await replicationConnection(cluster, 'wire-stall')
      const identity = await connection.identifySystem()
      const wal = await connection.startReplication({ startLsn: identity.xlogPos, timeline: 1, statusIntervalMs: 300, stallTimeoutMs: 1500 })
      const pid = await walsenderPid(cluster, 'wire-stall')
      process.kill(pid, 'SIGSTOP')
      const began = Date.now()
      try {
        const run = async (): Promise<void> => {
          for await (const _event of wal) {
            // WAL before the stop is fine; the silence afterwards must be detected.
          }
        }
        await expect(run()).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_STALLED' })
        expect(Date.now() - began).toBeLessThan(5000)
        expect(connection.closed).toBe(true)
      } finally {
        process.kill(pid, 'SIGCONT')
        await connection.close()
      }
    })

    it('ends the WAL iteration with an error when the walsender is terminated', async () => {
      const connection = await replicationConnection(cluster, 'wire-doomed')
      const identity = await connection.identifySystem()
      const wal = await connection.startReplication({ startLsn: identity.xlogPos, timeline: 1 })
      const run = async (): Promise<void> => {
        for await (const _event of wal) {
          // keep reading
        }
      }
      const outcome = run().then(() => undefined, (error: unknown) => error)
      await cluster.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'wire-doomed'`)
      expect(await outcome).toMatchObject({ code: expect.stringMatching(/TIDEMARK_ERR_WIRE_(CONNECTION_LOST|SERVER)/) })
      await connection.close()
    })

    it('refuses a timeline outside the server history with a ServerError', async () => {
      const connection = await replicationConnection(cluster)
      try {
        const identity = await connection.identifySystem()
        await expect(connection.startReplication({ startLsn: identity.xlogPos, timeline: 7 }))
          .rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_SERVER', sqlState: expect.any(String) })
        // The session survives a refused command.
        expect((await connection.identifySystem()).systemId).toBe(identity.systemId)
      } finally {
        await connection.close()
      }
    })
  })
}
