import { describe, expect, it } from 'vitest'
import {
  decodeKeepalive,
  decodeStandbyReply,
  decodeXLogData,
  encodeKeepalive,
  encodeStandbyReply,
  encodeXLogData,
  pgTimestampNow,
} from './wal-messages.js'

describe('openGauss XLogData', () => {
  const header = {
    dataStart: 0x1_0200_0000n,
    walEnd: 0x1_0300_0000n,
    sendTime: 0x0102_0304_0506_0708n,
    senderSent: 0x11n,
    senderWrite: 0x22n,
    senderFlush: 0x33n,
    senderReplay: 0x44n,
    catchup: true,
  }

  it("is 'w', a 64-byte little-endian header, then the WAL at offset 65", () => {
    const payload = encodeXLogData(header, Buffer.from([0xaa, 0xbb]))
    expect(payload.length).toBe(67)
    expect(payload[0]).toBe(0x77)
    expect(payload.subarray(1, 9).toString('hex')).toBe('0000000201000000')
    expect(payload.subarray(9, 17).toString('hex')).toBe('0000000301000000')
    expect(payload.subarray(17, 25).toString('hex')).toBe('0807060504030201')
    expect(payload.readBigUInt64LE(1 + 24)).toBe(0x11n)
    expect(payload.readBigUInt64LE(1 + 32)).toBe(0x22n)
    expect(payload.readBigUInt64LE(1 + 40)).toBe(0x33n)
    expect(payload.readBigUInt64LE(1 + 48)).toBe(0x44n)
    expect(payload[1 + 56]).toBe(1)
    expect(payload.subarray(1 + 57, 65).every((b) => b === 0)).toBe(true)
    expect(payload.subarray(65).toString('hex')).toBe('aabb')
    expect(decodeXLogData(payload)).toEqual({ header, wal: Buffer.from([0xaa, 0xbb]) })
  })
})

describe('openGauss keepalive', () => {
  it("is 'k' and exactly 32 bytes with the fields at their offsets", () => {
    const message = {
      walEnd: 0x0203_0000n,
      peerRole: 2,
      peerState: 1,
      sendTime: 77n,
      replyRequested: true,
      catchup: false,
      uwalCatchup: true,
      fullSync: false,
    }
    const payload = encodeKeepalive(message)
    expect(payload.length).toBe(33)
    expect(payload[0]).toBe(0x6b)
    expect(payload.readBigUInt64LE(1)).toBe(0x0203_0000n)
    expect(payload.readInt32LE(1 + 8)).toBe(2)
    expect(payload.readInt32LE(1 + 12)).toBe(1)
    expect(payload.readBigInt64LE(1 + 16)).toBe(77n)
    expect([...payload.subarray(1 + 24, 33)]).toEqual([1, 0, 1, 0, 0, 0, 0, 0])
    expect(decodeKeepalive(payload)).toEqual(message)
    expect(() => decodeKeepalive(Buffer.concat([payload, Buffer.alloc(1)]))).toThrow()
  })
})

describe('openGauss standby reply', () => {
  it("is 'r' and 64 bytes: five LSNs, role @40, state @44, time @48, flag @56, flags @60", () => {
    const reply = {
      receive: 1n,
      write: 2n,
      flush: 0x0200_0228n,
      apply: 4n,
      applyRead: 5n,
      peerRole: 3,
      peerState: 7,
      sendTime: 99n,
      replyRequested: false,
      replyFlags: 0,
    }
    const payload = encodeStandbyReply(reply)
    expect(payload.length).toBe(65)
    expect(payload.readBigUInt64LE(1 + 16)).toBe(0x0200_0228n)
    expect(payload.readInt32LE(1 + 40)).toBe(3)
    expect(payload.readInt32LE(1 + 44)).toBe(7)
    expect(payload.readBigInt64LE(1 + 48)).toBe(99n)
    expect(decodeStandbyReply(payload)).toEqual(reply)
    expect(() => decodeStandbyReply(payload.subarray(0, 34))).toThrow(/standby reply/)
  })
})

describe('pgTimestampNow', () => {
  it('counts microseconds from 2000-01-01', () => {
    expect(pgTimestampNow(Date.UTC(2000, 0, 1))).toBe(0n)
    expect(pgTimestampNow(Date.UTC(2000, 0, 1, 0, 0, 1))).toBe(1_000_000n)
  })
})
