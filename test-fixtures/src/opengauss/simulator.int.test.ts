import { once } from 'node:events'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { OG_AUTH_FAILED_MESSAGE, OG_PROTOCOL_3_0, OG_PROTOCOL_3_51, OG_WAL_SEGMENT_SIZE, OgServerMode, OgDbState } from './constants.js'
import { GS_TAR_HEADER_SIZE, decodeGsTarHeader, gsTarPadding } from './gs-tar.js'
import { formatLsn, parseLsn } from './lsn.js'
import { startOpenGaussSimulator } from './simulator.js'
import type { OpenGaussSimulator } from './simulator.js'
import { RawClient } from './testing/raw-client.js'
import type { Frame } from './testing/raw-client.js'
import { login } from './testing/login.js'
import { sha256ClientProof } from './auth.js'
import { decodeKeepalive, decodeXLogData, encodeStandbyReply, pgTimestampNow } from './wal-messages.js'
import { readWal } from './wal-source.js'

const simulators: OpenGaussSimulator[] = []
const clients: RawClient[] = []

async function simulator(options: Parameters<typeof startOpenGaussSimulator>[0] = {}): Promise<OpenGaussSimulator> {
  const sim = await startOpenGaussSimulator(options)
  simulators.push(sim)
  return sim
}

async function client(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port)
  clients.push(c)
  return c
}

afterEach(async () => {
  for (const c of clients.splice(0)) {
    c.close()
  }
  for (const sim of simulators.splice(0)) {
    await sim.close()
  }
})

function texts(frames: readonly Frame[]): (string | null)[][] {
  return frames.flatMap((f) => (f.parsed?.name === 'dataRow' ? [(f.parsed as unknown as { fields: (string | null)[] }).fields] : []))
}

/** Parses a gs_tar byte stream into entries (name, type, size, data). */
function readGsTar(bytes: Buffer): { name: string; type: string; mode: number; linkTarget: string; data: Buffer }[] {
  const out = []
  let offset = 0
  while (offset < bytes.length) {
    const header = decodeGsTarHeader(bytes.subarray(offset, offset + GS_TAR_HEADER_SIZE))
    offset += GS_TAR_HEADER_SIZE
    const data = bytes.subarray(offset, offset + header.size)
    offset += header.size + gsTarPadding(header.size)
    out.push({ name: header.name, type: header.type, mode: header.mode, linkTarget: header.linkTarget, data })
  }
  return out
}

describe('openGauss simulator over TCP', () => {
  it('logs in with sha256 at protocol 3.51 and reports openGauss parameters', async () => {
    const sim = await simulator()
    const c = await client(sim.port)
    const { request, after } = await login(c, { user: sim.user, password: sim.password })
    expect(request.code).toBe(10)
    expect(request.iterations).toBe(10000)
    expect(after[0]?.code).toBe('R')
    expect(after[0]?.body.readInt32BE(0)).toBe(0)
    const status = Object.fromEntries(
      after.flatMap((f) =>
        f.parsed?.name === 'parameterStatus'
          ? [[(f.parsed as unknown as { parameterName: string }).parameterName, (f.parsed as unknown as { parameterValue: string }).parameterValue]]
          : []
      )
    )
    expect(status['server_version']).toBe('9.2.4')
    expect(status['integer_datetimes']).toBe('on')
    expect(after.some((f) => f.code === 'K')).toBe(true)
    expect(after.at(-1)?.code).toBe('Z')
    c.query('SELECT pg_current_xlog_location()')
    expect(texts(await c.until('Z'))).toEqual([[sim.flushLsn()]])
  })

  it('logs in at protocol 3.0, where the server signature comes with the request', async () => {
    const sim = await simulator()
    const c = await client(sim.port)
    const { request, after } = await login(c, { user: sim.user, password: sim.password, protocol: OG_PROTOCOL_3_0 })
    expect(request.serverSignatureHex).toMatch(/^[0-9a-f]{64}$/)
    expect(after.at(-1)?.code).toBe('Z')
  })

  it('logs in with md5_sha256', async () => {
    const sim = await simulator({ auth: 'md5_sha256' })
    const c = await client(sim.port)
    const { request, after } = await login(c, { user: sim.user, password: sim.password })
    expect(request.code).toBe(11)
    expect(after.at(-1)?.code).toBe('Z')
  })

  it('refuses a wrong password with the exact FATAL and closes', async () => {
    const sim = await simulator()
    const c = await client(sim.replicationPort)
    const { after } = await login(c, { user: sim.user, password: 'wrong', replication: true })
    const error = after.at(-1)?.parsed as unknown as { severity: string; code: string; message: string }
    expect(error.severity).toBe('FATAL')
    expect(error.code).toBe('28P01')
    expect(error.message).toBe(OG_AUTH_FAILED_MESSAGE)
    expect(await c.closedByServer()).toBe(true)
  })

  it('refuses the right password when the rejectPassword fault is on', async () => {
    const sim = await simulator({ faults: { rejectPassword: true } })
    const c = await client(sim.replicationPort)
    const { after } = await login(c, { user: sim.user, password: sim.password, replication: true })
    expect(after.at(-1)?.code).toBe('E')
  })

  it('answers IDENTIFY_VERSION, IDENTIFY_SYSTEM and IDENTIFY_MODE on the HA port', async () => {
    const sim = await simulator()
    const c = await client(sim.replicationPort)
    const { after } = await login(c, { user: sim.user, password: sim.password, replication: true })
    expect(after.some((f) => f.code === 'K')).toBe(false)
    c.query('IDENTIFY_VERSION')
    expect(texts(await c.until('Z'))).toEqual([['90204', 'MPPDB', '1']])
    c.query('IDENTIFY_SYSTEM')
    expect(texts(await c.until('Z'))).toEqual([[sim.systemId.toString(), '1', sim.flushLsn(), null]])
    c.query('IDENTIFY_MODE')
    expect(texts(await c.until('Z'))).toEqual([[String(OgServerMode.primary)]])
  })

  it('ends the walsender session with FATAL on a command outside the grammar', async () => {
    const sim = await simulator()
    const c = await client(sim.replicationPort)
    await login(c, { user: sim.user, password: sim.password, replication: true })
    c.query('TIMELINE_HISTORY 1')
    const error = (await c.next()).parsed as unknown as { severity: string; code: string; message: string }
    expect([error.severity, error.code, error.message]).toEqual(['FATAL', '42601', 'replication command parser returned 1'])
    expect(await c.closedByServer()).toBe(true)
  })

  it('walks a gs_basebackup-style BASE_BACKUP in the reference order', async () => {
    const sim = await simulator()
    const c = await client(sim.replicationPort)
    await login(c, { user: sim.user, password: sim.password, replication: true, applicationName: 'gs_basebackup' })
    c.query(`BASE_BACKUP LABEL 'gs_basebackup base backup' PROGRESS   NOWAIT `)
    const frames = await c.until('Z', 10_000)
    const codes = frames.map((f) => f.code)
    // xloglink result, notice, start result, tablespace header
    expect(codes.slice(0, 13).join('')).toBe('TDCNTDCTDDDCH')
    expect(texts(frames.slice(0, 3))).toEqual([['data/pg_xlog']])
    const notice = frames[3]?.parsed as unknown as { severity: string; message: string }
    expect(notice.severity).toBe('INFO')
    expect(notice.message).toMatch(/full build is: ([0-9A-F]+\/[0-9A-F]+)\. The slot minimum LSN is: ([0-9A-F]+\/[0-9A-F]+)/)
    const rows = texts(frames.slice(4, 12))
    expect(rows[0]).toEqual([sim.backupLsns.xlogCopyStart])
    expect(rows[1]?.slice(0, 2)).toEqual(['16400', '/srv/opengauss/tbs_abs'])
    expect(rows[1]?.[3]).toBeNull()
    expect(rows[2]?.slice(0, 2)).toEqual(['16410', 'pg_location/tbs_rel'])
    expect(rows[2]?.[3]).toBe('1')
    expect(rows[3]?.[0]).toBeNull()
    // Three CopyOut streams, then the end LSN, CommandComplete, ReadyForQuery.
    const streams: Buffer[] = []
    let current: Buffer[] | undefined
    for (const frame of frames) {
      if (frame.code === 'H') {
        current = []
      } else if (frame.code === 'd' && current) {
        // Each header arrives as one 2560-byte CopyData.
        current.push(frame.body)
      } else if (frame.code === 'c' && current) {
        streams.push(Buffer.concat(current))
        current = undefined
      }
    }
    expect(streams).toHaveLength(3)
    const base = readGsTar(streams[2] ?? Buffer.alloc(0))
    expect(base[0]?.name).toBe('backup_label')
    expect(base[0]?.data.toString()).toContain(`START WAL LOCATION: ${sim.backupLsns.start} (file 000000010000000000000002)`)
    expect(base.at(-1)?.name).toBe('global/pg_control')
    const names = base.map((e) => e.name)
    expect(names).toContain('postgresql.conf')
    expect(names).toContain('pg_xlog/')
    expect(names).toContain('pg_xlog/archive_status/')
    expect(names).not.toContain('global/pg_dw')
    expect(names).not.toContain('postmaster.pid')
    const link = base.find((e) => e.name === 'pg_tblspc/16410/')
    expect(link?.type).toBe('3')
    expect(link?.linkTarget).toBe('pg_location/tbs_rel')
    const tablespace = readGsTar(streams[0] ?? Buffer.alloc(0))
    expect(tablespace[0]?.name).toBe('PG_9.2_201611171_dn_6001/')
    const tail = frames.slice(-5)
    expect(tail.map((f) => f.code).join('')).toBe('TDCCZ')
    expect(texts(tail)).toEqual([[sim.backupLsns.end]])
    expect(sim.received.at(-1)?.text).toContain('BASE_BACKUP')
  })

  it('sends WAL segments in the base stream with the WAL option', async () => {
    const sim = await simulator()
    const c = await client(sim.replicationPort)
    await login(c, { user: sim.user, password: sim.password, replication: true })
    c.query(`BASE_BACKUP LABEL 'x' PROGRESS WAL FAST NOWAIT TABLESPACE_MAP`)
    const frames = await c.until('Z', 30_000)
    const lastCopy = frames.findLastIndex((f) => f.code === 'H')
    const base = readGsTar(Buffer.concat(frames.slice(lastCopy + 1).filter((f) => f.code === 'd').map((f) => f.body)))
    expect(base[1]?.name).toBe('tablespace_map')
    expect(base.some((e) => e.name.startsWith('pg_tblspc/1'))).toBe(false)
    const segment = base.find((e) => e.name === 'pg_xlog/000000010000000000000002')
    expect(segment?.data.length).toBe(OG_WAL_SEGMENT_SIZE)
    expect(segment?.data.equals(sim.walBytes('0/2000000', OG_WAL_SEGMENT_SIZE))).toBe(true)
    expect(segment?.data.equals(readWal({ timeline: 1, systemId: sim.systemId, oldestLsn: 0n, flushLsn: parseLsn(sim.flushLsn()) }, 0x2000000n, OG_WAL_SEGMENT_SIZE))).toBe(true)
    expect(base.at(-1)?.name).toBe('pg_xlog/archive_status/000000010000000000000002.done')
  })

  it('streams little-endian XLogData after START_REPLICATION and records standby replies', async () => {
    const sim = await simulator({ keepaliveIntervalMs: 100 })
    const c = await client(sim.replicationPort)
    await login(c, { user: sim.user, password: sim.password, replication: true })
    c.query('START_REPLICATION 0/2000000')
    expect((await c.next()).code).toBe('W')
    let position = 0x2000000n
    const flush = parseLsn(sim.flushLsn())
    while (position < flush) {
      const frame = await c.next()
      expect(frame.code).toBe('d')
      const { header, wal } = decodeXLogData(frame.body)
      expect(header.dataStart).toBe(position)
      expect(wal.equals(sim.walBytes(formatLsn(position), wal.length))).toBe(true)
      expect(header.walEnd).toBe(flush)
      position += BigInt(wal.length)
    }
    const keepalive = decodeKeepalive((await c.next()).body)
    expect(keepalive.walEnd).toBe(flush)
    expect(keepalive.replyRequested).toBe(true)
    c.copyData(
      encodeStandbyReply({
        receive: 0n,
        write: 0n,
        flush: position,
        apply: 0n,
        applyRead: 0n,
        peerRole: OgServerMode.standby,
        peerState: OgDbState.building,
        sendTime: pgTimestampNow(),
        replyRequested: false,
        replyFlags: 0,
      })
    )
    sim.advanceWal(formatLsn(flush + 8192n))
    for (;;) {
      const frame = await c.next()
      if (frame.body[0] === 0x77) {
        expect(decodeXLogData(frame.body).header.dataStart).toBe(flush)
        break
      }
    }
    // The reply travels independently of the WAL: wait for the server to have read it.
    for (let i = 0; i < 100 && sim.standbyReplies.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(sim.standbyReplies[0]?.flush).toBe(position)
    expect(sim.standbyReplies[0]?.peerState).toBe(OgDbState.building)
  })

  it('drops the connection mid-stream when told to', async () => {
    const sim = await simulator({ faults: { dropAfterTarBytes: 10_000 } })
    const c = await client(sim.replicationPort)
    await login(c, { user: sim.user, password: sim.password, replication: true })
    c.query(`BASE_BACKUP LABEL 'x' NOWAIT`)
    await expect(c.until('Z')).rejects.toThrow(/connection ended/)
    expect(c.partialBytes).toBeGreaterThan(0)
  })

  it('stalls without closing when told to', async () => {
    const sim = await simulator({ faults: { stallAfterTarBytes: 5000 } })
    const c = await client(sim.replicationPort)
    await login(c, { user: sim.user, password: sim.password, replication: true })
    c.query(`BASE_BACKUP LABEL 'x' NOWAIT`)
    await expect(c.until('Z', 500)).rejects.toThrow(/timed out/)
    expect(c.ended).toBe(false)
  })

  it('accepts a startup on protocol 3.51 without NegotiateProtocolVersion', async () => {
    const sim = await simulator({ auth: 'trust' })
    const c = await client(sim.port)
    c.startup({ user: 'repl', database: 'postgres' }, OG_PROTOCOL_3_51)
    const frames = await c.until('Z')
    expect(frames.some((f) => f.code === 'v')).toBe(false)
    expect(frames[0]?.body.readInt32BE(0)).toBe(0)
  })

  it('logs in at protocol 3.50, which carries neither signature nor iterations', async () => {
    const sim = await simulator()
    const c = await client(sim.port)
    const { request, after } = await login(c, { user: sim.user, password: sim.password, protocol: 0x30032 })
    expect(request.iterations).toBeUndefined()
    expect(request.serverSignatureHex).toBeUndefined()
    expect(after.at(-1)?.code).toBe('Z')
  })

  it('fails an unknown user exactly like a wrong password', async () => {
    const sim = await simulator()
    const c = await client(sim.port)
    const { request, after } = await login(c, { user: 'nobody', password: sim.password })
    expect(request.code).toBe(10)
    expect((after.at(-1)?.parsed as unknown as { message: string }).message).toBe(OG_AUTH_FAILED_MESSAGE)
  })

  it('refuses protocol 3.2 with FATAL 0A000', async () => {
    const sim = await simulator()
    const c = await client(sim.port)
    c.startup({ user: sim.user }, 0x30002)
    const error = (await c.next()).parsed as unknown as { severity: string; code: string; message: string }
    expect([error.severity, error.code, error.message]).toEqual(['FATAL', '0A000', 'unsupported frontend protocol 3.2.'])
    expect(await c.closedByServer()).toBe(true)
    expect(sim.startups[0]?.protocol).toBe(0x30002)
  })

  it('answers an SSLRequest with N and then takes the startup in clear text', async () => {
    const sim = await simulator({ auth: 'trust' })
    const socket = connect({ port: sim.port, host: sim.host })
    await once(socket, 'connect')
    socket.write(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]))
    const [answer] = (await once(socket, 'data')) as [Buffer]
    expect(answer.toString('latin1')).toBe('N')
    socket.destroy()
  })

  it('refuses replication on the main port when the HA port is required', async () => {
    const sim = await simulator({ requireHaPortForReplication: true })
    const c = await client(sim.port)
    c.startup({ user: sim.user, replication: 'true' }, OG_PROTOCOL_3_51)
    const error = (await c.next()).parsed as unknown as { message: string }
    expect(error.message).toBe('replication should connect HA port in thread_pool')
  })

  it('ends the session when START_REPLICATION asks for removed WAL', async () => {
    const sim = await simulator()
    const c = await client(sim.replicationPort)
    await login(c, { user: sim.user, password: sim.password, replication: true })
    c.query('START_REPLICATION 0/1000000')
    const error = (await c.next()).parsed as unknown as { severity: string; message: string }
    expect(error.severity).toBe('FATAL')
    expect(error.message).toBe('requested WAL segment 000000010000000000000001 has already been removed')
    expect(await c.closedByServer()).toBe(true)
  })

  it('drops a WAL stream mid-message when told to', async () => {
    const sim = await simulator({ faults: { dropAfterWalBytes: 200_000 } })
    const c = await client(sim.replicationPort)
    await login(c, { user: sim.user, password: sim.password, replication: true })
    c.query('START_REPLICATION 0/2000000')
    let walBytes = 0
    await expect(
      (async () => {
        for (;;) {
          const frame = await c.next()
          if (frame.code === 'd' && frame.body[0] === 0x77) {
            walBytes += decodeXLogData(frame.body).wal.length
          }
        }
      })()
    ).rejects.toThrow(/connection ended/)
    expect(walBytes).toBeLessThan(200_000)
    expect(c.partialBytes).toBeGreaterThan(0)
  })

  it('fails a BASE_BACKUP with FATAL mid-COPY when told to', async () => {
    const sim = await simulator({ faults: { errorAfterTarBytes: 50_000 } })
    const c = await client(sim.replicationPort)
    await login(c, { user: sim.user, password: sim.password, replication: true })
    c.query(`BASE_BACKUP LABEL 'x' NOWAIT`)
    const frames = await c.until('E')
    expect(frames.some((f) => f.code === 'H')).toBe(true)
    expect((frames.at(-1)?.parsed as unknown as { message: string }).message).toBe(
      'base backup could not send data, aborting backup'
    )
    expect(await c.closedByServer()).toBe(true)
  })

  it('stops answering a query that matches stallOnQuery', async () => {
    const sim = await simulator({ faults: { stallOnQuery: /^IDENTIFY_SYSTEM/ } })
    const c = await client(sim.replicationPort)
    await login(c, { user: sim.user, password: sim.password, replication: true })
    c.query('IDENTIFY_SYSTEM')
    await expect(c.next(300)).rejects.toThrow(/timed out/)
    expect(c.ended).toBe(false)
  })

  it('closes the walsender when the client ends the stream with CopyDone', async () => {
    const sim = await simulator()
    const c = await client(sim.replicationPort)
    await login(c, { user: sim.user, password: sim.password, replication: true })
    c.query('START_REPLICATION 0/22F0000')
    expect((await c.next()).code).toBe('W')
    c.write(Buffer.from([0x63, 0, 0, 0, 4]))
    expect(await c.closedByServer()).toBe(true)
  })

  it('keeps only about one message queued while a client does not read', async () => {
    const sim = await simulator()
    const c = await client(sim.replicationPort)
    await login(c, { user: sim.user, password: sim.password, replication: true })
    c.pause()
    c.query(`BASE_BACKUP LABEL 'x' WAL NOWAIT`)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const queuedWhilePaused = sim.maxBufferedBytes()
    c.resume()
    const frames = await c.until('Z', 30_000)
    const tarBytes = frames.filter((f) => f.code === 'd').reduce((sum, f) => sum + f.body.length, 0)
    expect(tarBytes).toBeGreaterThan(OG_WAL_SEGMENT_SIZE)
    expect(queuedWhilePaused).toBeLessThan(1024 * 1024)
    expect(sim.maxBufferedBytes()).toBeLessThan(1024 * 1024)
  })

  it('serves a gs_basebackup stream-mode run: BASE_BACKUP on one connection, WAL on another', async () => {
    const sim = await simulator({ keepaliveIntervalMs: 50 })
    const main = await client(sim.replicationPort)
    await login(main, { user: sim.user, password: sim.password, replication: true, applicationName: 'gs_basebackup' })
    main.query('IDENTIFY_SYSTEM')
    const [[systemId, timeline]] = texts(await main.until('Z')) as [[string, string]]
    main.query(`BASE_BACKUP LABEL 'gs_basebackup base backup' PROGRESS   NOWAIT `)
    const head = await main.until('C') // xloglink
    expect(texts(head)).toEqual([['data/pg_xlog']])
    const [notice, ...startFrames] = await main.until('C')
    const startLsn = /full build is: ([0-9A-F]+\/[0-9A-F]+)\./.exec(
      (notice?.parsed as unknown as { message: string }).message
    )?.[1]
    expect(texts(startFrames)).toEqual([[startLsn]])

    // The WAL streamer: same system and timeline, start rounded down to a segment.
    const wal = await client(sim.replicationPort)
    await login(wal, { user: sim.user, password: sim.password, replication: true, applicationName: 'gs_basebackup' })
    wal.query('IDENTIFY_SYSTEM')
    expect(texts(await wal.until('Z'))[0]?.slice(0, 2)).toEqual([systemId, timeline])
    const start = (parseLsn(startLsn ?? '0/0') / BigInt(OG_WAL_SEGMENT_SIZE)) * BigInt(OG_WAL_SEGMENT_SIZE)
    wal.query(`START_REPLICATION ${formatLsn(start)}`)
    expect((await wal.next()).code).toBe('W')

    const rest = await main.until('Z', 10_000)
    const endLsn = parseLsn(texts(rest).at(-1)?.[0] ?? '0/0')
    let received = start
    while (received < endLsn) {
      const frame = await wal.next()
      if (frame.body[0] === 0x77) {
        received += BigInt(decodeXLogData(frame.body).wal.length)
      }
    }
    wal.copyData(
      encodeStandbyReply({
        receive: 0n,
        write: 0n,
        flush: received,
        apply: 0n,
        applyRead: 0n,
        peerRole: OgServerMode.standby,
        peerState: OgDbState.building,
        sendTime: pgTimestampNow(),
        replyRequested: false,
        replyFlags: 0,
      })
    )
    wal.write(Buffer.from([0x63, 0, 0, 0, 4]))
    expect(await wal.closedByServer()).toBe(true)
    expect(sim.standbyReplies.at(-1)?.flush).toBe(received)
    expect(sim.received.map((r) => r.text.split(' ')[0])).toEqual([
      'IDENTIFY_SYSTEM',
      'BASE_BACKUP',
      'IDENTIFY_SYSTEM',
      'START_REPLICATION',
    ])
  })

  it('reads a startup, a password and a query that arrive one byte at a time', async () => {
    const sim = await simulator({ saltHex: 'ab'.repeat(32), tokenHex: '01020304' })
    const c = await client(sim.replicationPort)
    const dribble = async (bytes: Buffer): Promise<void> => {
      for (const byte of bytes) {
        c.write(Buffer.from([byte]))
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    const startup = Buffer.from(`user\0${sim.user}\0replication\0true\0\0`)
    const packet = Buffer.alloc(8 + startup.length)
    packet.writeUInt32BE(packet.length, 0)
    packet.writeUInt32BE(OG_PROTOCOL_3_51, 4)
    startup.copy(packet, 8)
    await dribble(packet)
    expect((await c.next()).body.readInt32BE(0)).toBe(10)
    const proof = Buffer.from(`${sha256ClientProof(sim.password, 'ab'.repeat(32), '01020304', 10000)}\0`)
    const password = Buffer.alloc(5 + proof.length)
    password.write('p', 0, 'latin1')
    password.writeUInt32BE(4 + proof.length, 1)
    proof.copy(password, 5)
    await dribble(password)
    expect((await c.until('Z')).at(0)?.body.readInt32BE(0)).toBe(0)
    const query = Buffer.from('Q\0\0\0\x15IDENTIFY_VERSION\0', 'latin1')
    expect(query.readUInt32BE(1)).toBe(query.length - 1)
    await dribble(query)
    expect(texts(await c.until('Z'))).toEqual([['90204', 'MPPDB', '1']])
  })
})
