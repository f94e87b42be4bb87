import { writeFileSync } from 'node:fs'
import { createServer, type Socket } from 'node:net'
import { join } from 'node:path'
import { chownTree, startCluster, testMajors, type Cluster } from '@tidemark/test-fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, parseLsn, type WalEvent } from './index.js'

async function promoteToTimeline2(cluster: Cluster): Promise<void> {
  await cluster.stop({ keepFiles: true })
  writeFileSync(join(cluster.dataDir, 'standby.signal'), '')
  chownTree(join(cluster.dataDir, 'standby.signal'), cluster.osUser)
  await cluster.start()
  await cluster.query('SELECT pg_promote(true, 60)')
}

for (const major of testMajors()) {
  describe(`timelines on PostgreSQL ${major}`, () => {
    let cluster: Cluster
    beforeAll(async () => {
      cluster = await startCluster({ major })
      await cluster.query('CREATE TABLE t (x int); INSERT INTO t VALUES (1)')
      await promoteToTimeline2(cluster)
    })
    afterAll(async () => {
      await cluster?.stop({ mode: 'immediate' })
    })

    it('reads TIMELINE_HISTORY and ends a timeline-1 stream with the switch to timeline 2', async () => {
      const connection = await connect({ host: cluster.host, port: cluster.port, user: 'postgres', replication: true, env: {} })
      try {
        const identity = await connection.identifySystem()
        expect(identity.timeline).toBe(2)
        const history = await connection.timelineHistory(2)
        expect(history.fileName).toBe('00000002.history')
        const [, switchText] = /^1\t([0-9A-F]+\/[0-9A-F]+)\t/.exec(history.content.toString('utf8')) ?? []
        const switchLsn = parseLsn(switchText ?? '')
        const segmentStart = switchLsn - (switchLsn % (16n * 1024n * 1024n))
        const wal = await connection.startReplication({ startLsn: segmentStart, timeline: 1, statusIntervalMs: 1000 })
        const events: WalEvent[] = []
        for await (const event of wal) {
          events.push(event)
        }
        const last = events.at(-1)
        expect(last).toEqual({ kind: 'end-of-timeline', nextTimeline: 2, nextTimelineStartLsn: switchLsn })
        expect(wal.receivedLsn).toBe(switchLsn)
        // The stream ended cleanly: the session takes commands again.
        expect((await connection.identifySystem()).timeline).toBe(2)
      } finally {
        await connection.close()
      }
    })
  })
}

describe('connecting', () => {
  it('gives up after connect_timeout on a server that accepts but never answers, then tries the next host', async () => {
    const sockets: Socket[] = []
    const silent = createServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const port = (silent.address() as { port: number }).port
    try {
      const began = Date.now()
      await expect(connect({ host: '127.0.0.1', port, user: 'u', sslmode: 'disable', connectTimeoutSeconds: 2, env: {} }))
        .rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_CONNECT' })
      expect(Date.now() - began).toBeLessThan(4000)
      const [major] = testMajors()
      const cluster = await startCluster({ major: major ?? 13 })
      try {
        const connection = await connect({ connectionString: `host=127.0.0.1,127.0.0.1 port=${port},${cluster.port} connect_timeout=2 sslmode=disable`, user: 'postgres', database: 'postgres', env: {} })
        expect(connection.server.flavor).toBe('postgresql')
        await connection.close()
      } finally {
        await cluster.stop({ mode: 'immediate' })
      }
    } finally {
      for (const socket of sockets) {
        socket.destroy()
      }
      silent.close()
    }
  })
})
