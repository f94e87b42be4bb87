import { SUPPORTED_MAJORS, withCluster } from '@tidemark/test-fixtures'
import { describe, expect, it } from 'vitest'
import { connect } from './index.js'

describe('IDENTIFY_SYSTEM', () => {
  for (const major of SUPPORTED_MAJORS) {
    it(`identifies PostgreSQL ${major} over TCP and over the Unix socket`, async () => {
      await withCluster({ major }, async (cluster) => {
        for (const host of [cluster.host, cluster.socketDir]) {
          const connection = await connect({ host, port: cluster.port, user: 'postgres', replication: true, env: {} })
          try {
            // Detected from the NegotiateProtocolVersion answer to the 3.51 startup: 3.0, or 3.2 from 18 on.
            expect(connection.server).toMatchObject({ flavor: 'postgresql', major, protocolMinor: major >= 18 ? 2 : 0 })
            const identity = await connection.identifySystem()
            const [row] = await cluster.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()')
            expect(identity.systemId).toBe(row?.id)
            expect(identity.timeline).toBe(1)
            expect(identity.xlogPos).toBeGreaterThan(0n)
            expect(identity.dbName).toBeNull()
          } finally {
            await connection.close()
          }
        }
      })
    })
  }
})
