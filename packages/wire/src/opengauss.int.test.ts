// The openGauss dialect against the protocol simulator in @tidemark/test-fixtures (openGauss
// cannot run here; the simulator follows the opengauss-protocol reference byte for byte).
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { startOpenGaussSimulator, type OpenGaussSimulator } from '@tidemark/test-fixtures'
import { afterEach, describe, expect, it } from 'vitest'
import { connect, parseLsn, type Connection, type ServerNotice } from './index.js'
import type { BaseBackupEvent } from './replication/base-backup.js'
import { collect } from './testing/collect.js'

const GS_TAR_HEADER = 2560
const GS_TAR_NAME_LENGTH = 1024

let simulator: OpenGaussSimulator | undefined
afterEach(async () => {
  await simulator?.close()
  simulator = undefined
})

function replication(og: OpenGaussSimulator, extra: { password?: string; onNotice?: (notice: ServerNotice) => void } = {}): Promise<Connection> {
  return connect({
    host: og.host,
    port: og.replicationPort,
    user: og.user,
    password: extra.password ?? og.password,
    replication: true,
    applicationName: 'gs_basebackup',
    env: {},
    ...(extra.onNotice ? { onNotice: extra.onNotice } : {}),
  })
}

describe('openGauss dialect (simulator)', () => {
  for (const auth of ['sha256', 'md5_sha256', 'trust'] as const) {
    it(`logs in with ${auth}, detects openGauss with protocol 3.51, and runs IDENTIFY_SYSTEM / IDENTIFY_VERSION`, async () => {
      const og = (simulator = await startOpenGaussSimulator({ auth }))
      const connection = await replication(og)
      try {
        expect(connection.server).toMatchObject({ flavor: 'opengauss', version: '9.2.4', protocolMinor: 51 })
        expect(og.startups.at(-1)).toMatchObject({
          protocol: (3 << 16) | 51,
          parameters: { user: og.user, replication: 'true', application_name: 'gs_basebackup' },
        })
        const identity = await connection.identifySystem()
        expect(identity).toMatchObject({ systemId: og.systemId.toString(), timeline: og.timeline, dbName: null })
        expect(identity.xlogPos).toBe(parseLsn(og.flushLsn()))
        expect(await connection.identifyVersion()).toMatchObject({ serverVersionNumber: 90204, protocolVersion: 'MPPDB' })
      } finally {
        await connection.close()
      }
    })
  }

  it('recognises openGauss from its sha256 payload even after a protocol 3.0 startup', async () => {
    const og = (simulator = await startOpenGaussSimulator())
    const connection = await connect({ host: og.host, port: og.replicationPort, user: og.user, password: og.password, replication: true, flavor: 'postgresql', env: {} })
    try {
      expect(og.startups.at(-1)?.protocol).toBe(3 << 16)
      expect(connection.server).toMatchObject({ flavor: 'opengauss', protocolMinor: 0 })
      expect((await connection.identifySystem()).timeline).toBe(1)
    } finally {
      await connection.close()
    }
  })

  it('reports a wrong password as AuthenticationError with SQLSTATE 28P01 and no secret', async () => {
    const og = (simulator = await startOpenGaussSimulator())
    const error = await replication(og, { password: 'wrong-Secret-1' }).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'TIDEMARK_ERR_WIRE_AUTH', sqlState: '28P01' })
    expect(String((error as Error).message)).not.toContain('wrong-Secret-1')
    expect(String((error as Error).message)).not.toContain(og.password)
  })

  it('refuses commands openGauss lacks before sending them', async () => {
    const og = (simulator = await startOpenGaussSimulator())
    const connection = await replication(og)
    try {
      await expect(connection.timelineHistory(2)).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_UNSUPPORTED_FEATURE' })
      await expect(connection.readReplicationSlot('s')).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_UNSUPPORTED_FEATURE' })
      const events = connection.baseBackup({ compression: { method: 'gzip' } })
      await expect(events.next()).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_UNSUPPORTED_FEATURE' })
      // Nothing was sent: the walsender (which dies on any error) still answers.
      expect((await connection.identifySystem()).timeline).toBe(1)
    } finally {
      await connection.close()
    }
  })

  it('streams BASE_BACKUP in openGauss reply order: xloglink, INFO notice, 1-column start, 4-column header, gs_tar per tablespace, end', async () => {
    const og = (simulator = await startOpenGaussSimulator())
    const notices: ServerNotice[] = []
    const connection = await replication(og, { onNotice: (notice) => notices.push(notice) })
    try {
      const events: BaseBackupEvent[] = []
      const archives = new Map<string, Buffer>()
      for await (const event of connection.baseBackup({ label: "o'clock", fastCheckpoint: true, tablespaceMap: true })) {
        events.push(event)
        if (event.kind === 'archive') {
          archives.set(event.name, await collect(event.stream))
        }
      }
      expect(og.received.at(-1)?.text).toBe(`BASE_BACKUP LABEL 'o''clock' PROGRESS FAST NOWAIT TABLESPACE_MAP`)
      const start = events[0]
      expect(start).toMatchObject({
        kind: 'start',
        startLsn: parseLsn(og.backupLsns.xlogCopyStart),
        timeline: undefined,
        xlogLink: 'data/pg_xlog',
        noticedStartLsn: parseLsn(og.backupLsns.xlogCopyStart),
      })
      if (start?.kind !== 'start') {
        throw new Error('no start event')
      }
      expect(start.tablespaces.map((space) => [space.oid, space.relative])).toEqual([[16400, false], [16410, true], [undefined, false]])
      expect(start.tablespaces[1]?.location).toBe('pg_location/tbs_rel')
      expect(notices.some((notice) => notice.severity === 'INFO' && notice.message.includes('full build is'))).toBe(true)
      expect([...archives.keys()]).toEqual(['16400.tar', '16410.tar', 'base.tar'])
      const base = archives.get('base.tar') as Buffer
      // gs_tar: a 2560-byte header whose name field starts the archive; backup_label comes first.
      expect(base.length).toBeGreaterThan(GS_TAR_HEADER)
      expect(base.toString('latin1', 0, GS_TAR_NAME_LENGTH).replace(/\0.*$/s, '')).toBe('backup_label')
      expect(events.at(-1)).toEqual({ kind: 'end', endLsn: parseLsn(og.backupLsns.end), timeline: undefined })
    } finally {
      await connection.close()
    }
  })

  it('keeps the simulator waiting for drain while a slow consumer reads the backup', async () => {
    const og = (simulator = await startOpenGaussSimulator())
    const connection = await replication(og)
    try {
      for await (const event of connection.baseBackup({ includeWal: true })) {
        if (event.kind === 'archive') {
          await pipeline(event.stream, new Writable({
            highWaterMark: 1024,
            write(_chunk: Buffer, _encoding, callback) {
              sleep(1).then(() => callback(), callback)
            },
          }))
        }
      }
      expect(og.maxBufferedBytes()).toBeLessThan(1024 * 1024)
    } finally {
      await connection.close()
    }
  })

  it('fails the archive stream when the connection drops mid-archive, and on a FATAL mid-COPY', async () => {
    for (const faults of [{ dropAfterTarBytes: 50_000 }, { errorAfterTarBytes: 50_000 }]) {
      const og = (simulator = await startOpenGaussSimulator({ faults }))
      const connection = await replication(og)
      const run = async (): Promise<void> => {
        for await (const event of connection.baseBackup()) {
          if (event.kind === 'archive') {
            await collect(event.stream)
          }
        }
      }
      await expect(run()).rejects.toMatchObject({ code: expect.stringMatching(/TIDEMARK_ERR_WIRE_(CONNECTION_LOST|SERVER)/) })
      expect(connection.closed).toBe(true)
      await og.close()
      simulator = undefined
    }
  })

  it('detects a server that stops sending mid-archive when a stall timeout is set', async () => {
    const og = (simulator = await startOpenGaussSimulator({ faults: { stallAfterTarBytes: 50_000 } }))
    const connection = await replication(og)
    const began = Date.now()
    const run = async (): Promise<void> => {
      for await (const event of connection.baseBackup({ stallTimeoutMs: 700 })) {
        if (event.kind === 'archive') {
          await collect(event.stream)
        }
      }
    }
    await expect(run()).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_STALLED' })
    expect(Date.now() - began).toBeLessThan(3000)
    expect(connection.closed).toBe(true)
  })

  it('streams little-endian WAL from START_REPLICATION, replies to keepalives, and stops', async () => {
    const og = (simulator = await startOpenGaussSimulator({ keepaliveIntervalMs: 100 }))
    const connection = await replication(og)
    try {
      const identity = await connection.identifySystem()
      const start = parseLsn('0/2000000')
      const wal = await connection.startReplication({ startLsn: start, statusIntervalMs: 200 })
      let expected = start
      const received: Buffer[] = []
      for await (const event of wal) {
        if (event.kind !== 'xlog') {
          continue
        }
        expect(event.walStart).toBe(expected)
        received.push(event.data)
        expected += BigInt(event.data.length)
        wal.acknowledge(expected)
        if (expected >= identity.xlogPos) {
          await sleep(300)
          wal.stop()
        }
      }
      const bytes = Buffer.concat(received)
      expect(bytes.equals(og.walBytes('0/2000000', bytes.length))).toBe(true)
      expect(expected).toBe(identity.xlogPos)
      const replies = og.standbyReplies
      expect(replies.length).toBeGreaterThan(0)
      expect(replies.at(-1)).toMatchObject({ flush: identity.xlogPos })
    } finally {
      await connection.close()
    }
  })

  it('detects a stalled WAL stream within the status interval plus the bound', async () => {
    const og = (simulator = await startOpenGaussSimulator({ faults: { stallAfterWalBytes: 100_000 } }))
    const connection = await replication(og)
    const wal = await connection.startReplication({ startLsn: parseLsn('0/2000000'), statusIntervalMs: 200, stallTimeoutMs: 800 })
    const began = Date.now()
    const run = async (): Promise<void> => {
      for await (const _event of wal) {
        // read until the stall
      }
    }
    await expect(run()).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_STALLED' })
    expect(Date.now() - began).toBeLessThan(3000)
  })
})
