import { decodeKeepalive, decodeStandbyReply, encodeKeepalive, encodeXLogData } from '@tidemark/test-fixtures'
import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../errors.js'
import { decodeOpenGaussReplicationMessage, encodeOpenGaussStandbyStatus } from './opengauss-xlog-message.js'
import { decodeReplicationMessage, encodeStandbyStatus, replicationNow } from './xlog-message.js'

function pgXLogData(start: bigint, end: bigint, time: bigint, data: Buffer): Buffer {
  const out = Buffer.alloc(25)
  out[0] = 0x77
  out.writeBigUInt64BE(start, 1)
  out.writeBigUInt64BE(end, 9)
  out.writeBigInt64BE(time, 17)
  return Buffer.concat([out, data])
}

describe('PostgreSQL replication messages', () => {
  it('decodes XLogData with its 25-byte big-endian header', () => {
    const message = decodeReplicationMessage(pgXLogData(0x1_0000_0028n, 0x1_0000_0100n, 12345n, Buffer.from('wal')))
    expect(message).toEqual({ type: 'xlogData', walStart: 0x1_0000_0028n, walEnd: 0x1_0000_0100n, serverTime: 12345n, data: Buffer.from('wal') })
  })

  it('decodes a keepalive of exactly 18 bytes and its reply-requested flag', () => {
    const keepalive = Buffer.alloc(18)
    keepalive[0] = 0x6b
    keepalive.writeBigUInt64BE(0x2000000n, 1)
    keepalive.writeBigInt64BE(99n, 9)
    keepalive[17] = 1
    expect(decodeReplicationMessage(keepalive)).toEqual({ type: 'keepalive', walEnd: 0x2000000n, serverTime: 99n, replyRequested: true })
    expect(() => decodeReplicationMessage(keepalive.subarray(0, 17))).toThrow(ProtocolError)
  })

  it('encodes a 34-byte standby status update at the documented offsets', () => {
    const out = encodeStandbyStatus({ write: 1n, flush: 2n, apply: 3n, sendTime: 4n, replyRequested: true })
    expect(out.length).toBe(34)
    expect([out[0], out.readBigUInt64BE(1), out.readBigUInt64BE(9), out.readBigUInt64BE(17), out.readBigInt64BE(25), out[33]])
      .toEqual([0x72, 1n, 2n, 3n, 4n, 1])
  })

  it('rejects short and unknown messages with ProtocolError', () => {
    expect(() => decodeReplicationMessage(Buffer.from([0x77, 1, 2]))).toThrow(ProtocolError)
    expect(() => decodeReplicationMessage(Buffer.from([0x7a]))).toThrow(ProtocolError)
    expect(() => decodeReplicationMessage(Buffer.alloc(0))).toThrow(ProtocolError)
  })

  it('counts time in microseconds since 2000-01-01', () => {
    expect(replicationNow(Date.UTC(2000, 0, 1, 0, 0, 1))).toBe(1_000_000n)
  })
})

describe('openGauss replication messages (little-endian structs)', () => {
  it('decodes XLogData as the simulator encodes it: 64-byte header, WAL at offset 65', () => {
    const header = { dataStart: 0x2000000n, walEnd: 0x2300000n, sendTime: 777n, senderSent: 0n, senderWrite: 0n, senderFlush: 0x2300000n, senderReplay: 0n, catchup: false }
    const payload = encodeXLogData(header, Buffer.from('abc'))
    expect(payload.length).toBe(65 + 3)
    expect(decodeOpenGaussReplicationMessage(payload)).toEqual({ type: 'xlogData', walStart: 0x2000000n, walEnd: 0x2300000n, serverTime: 777n, data: Buffer.from('abc') })
  })

  it('decodes the 33-byte keepalive and refuses other lengths', () => {
    const payload = encodeKeepalive({ walEnd: 0x2300000n, peerRole: 1, peerState: 0, sendTime: 5n, replyRequested: true, catchup: false, uwalCatchup: false, fullSync: false })
    expect(payload.length).toBe(33)
    expect(decodeOpenGaussReplicationMessage(payload)).toEqual({ type: 'keepalive', walEnd: 0x2300000n, serverTime: 5n, replyRequested: true })
    expect(decodeKeepalive(payload)).toMatchObject({ walEnd: 0x2300000n })
    expect(() => decodeOpenGaussReplicationMessage(Buffer.concat([payload, Buffer.alloc(1)]))).toThrow(ProtocolError)
  })

  it('encodes the 65-byte standby reply the simulator decodes, as gs_basebackup fills it', () => {
    const out = encodeOpenGaussStandbyStatus({ write: 0x2100000n, flush: 0x2000000n, apply: 0n, sendTime: 9n, replyRequested: false })
    expect(out.length).toBe(65)
    expect(decodeStandbyReply(out)).toMatchObject({ receive: 0x2100000n, write: 0x2100000n, flush: 0x2000000n, peerRole: 3, peerState: 7, sendTime: 9n, replyRequested: false })
  })

  it('ignores the config-file push and rejects unknown types', () => {
    expect(decodeOpenGaussReplicationMessage(Buffer.from([0x6d, 1, 2]))).toEqual({ type: 'ignored' })
    expect(() => decodeOpenGaussReplicationMessage(Buffer.from([0x72]))).toThrow(ProtocolError)
  })
})
