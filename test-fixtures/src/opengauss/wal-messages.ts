// openGauss's streaming-replication messages (walprotocol.h): native C structs memcpy'd into
// CopyData, little-endian on x86-64/ARM64, with C padding. Pure encoders and decoders.
import { PG_EPOCH_OFFSET_MICROS } from './constants.js'

/** `'w'` + `WalDataMessageHeader` (64 bytes); WAL bytes start at offset 65 of the CopyData payload. */
export const OG_XLOGDATA_HEADER_SIZE = 64
/** `'k'` + `PrimaryKeepaliveMessage` (32 bytes): the CopyData payload is exactly 33 bytes. */
export const OG_KEEPALIVE_SIZE = 32
/** `'r'` + `StandbyReplyMessage` (64 bytes). */
export const OG_STANDBY_REPLY_SIZE = 64

export const WalDataOffset = {
  dataStart: 0,
  walEnd: 8,
  sendTime: 16,
  senderSent: 24,
  senderWrite: 32,
  senderFlush: 40,
  senderReplay: 48,
  catchup: 56,
} as const

export const KeepaliveOffset = {
  walEnd: 0,
  peerRole: 8,
  peerState: 12,
  sendTime: 16,
  replyRequested: 24,
  catchup: 25,
  uwalCatchup: 26,
  fullSync: 27,
} as const

export const StandbyReplyOffset = {
  receive: 0,
  write: 8,
  flush: 16,
  apply: 24,
  applyRead: 32,
  peerRole: 40,
  peerState: 44,
  sendTime: 48,
  replyRequested: 56,
  replyFlags: 60,
} as const

/** Microseconds since 2000-01-01 (`TimestampTz`). */
export function pgTimestampNow(nowMs: number = Date.now()): bigint {
  return BigInt(Math.trunc(nowMs)) * 1000n - PG_EPOCH_OFFSET_MICROS
}

export interface WalDataHeader {
  readonly dataStart: bigint
  readonly walEnd: bigint
  readonly sendTime: bigint
  readonly senderSent: bigint
  readonly senderWrite: bigint
  readonly senderFlush: bigint
  readonly senderReplay: bigint
  readonly catchup: boolean
}

/** The CopyData payload of an XLogData message: `'w'`, the 64-byte header, the WAL bytes. */
export function encodeXLogData(header: WalDataHeader, wal: Uint8Array): Buffer {
  const out = Buffer.alloc(1 + OG_XLOGDATA_HEADER_SIZE + wal.length)
  out.write('w', 0, 'latin1')
  const h = out.subarray(1, 1 + OG_XLOGDATA_HEADER_SIZE)
  h.writeBigUInt64LE(header.dataStart, WalDataOffset.dataStart)
  h.writeBigUInt64LE(header.walEnd, WalDataOffset.walEnd)
  h.writeBigInt64LE(header.sendTime, WalDataOffset.sendTime)
  h.writeBigUInt64LE(header.senderSent, WalDataOffset.senderSent)
  h.writeBigUInt64LE(header.senderWrite, WalDataOffset.senderWrite)
  h.writeBigUInt64LE(header.senderFlush, WalDataOffset.senderFlush)
  h.writeBigUInt64LE(header.senderReplay, WalDataOffset.senderReplay)
  h.writeUInt8(header.catchup ? 1 : 0, WalDataOffset.catchup)
  out.set(wal, 1 + OG_XLOGDATA_HEADER_SIZE)
  return out
}

export function decodeXLogData(payload: Buffer): { header: WalDataHeader; wal: Buffer } {
  if (payload[0] !== 0x77 || payload.length < 1 + OG_XLOGDATA_HEADER_SIZE) {
    throw new Error('not an openGauss XLogData message')
  }
  const h = payload.subarray(1, 1 + OG_XLOGDATA_HEADER_SIZE)
  return {
    header: {
      dataStart: h.readBigUInt64LE(WalDataOffset.dataStart),
      walEnd: h.readBigUInt64LE(WalDataOffset.walEnd),
      sendTime: h.readBigInt64LE(WalDataOffset.sendTime),
      senderSent: h.readBigUInt64LE(WalDataOffset.senderSent),
      senderWrite: h.readBigUInt64LE(WalDataOffset.senderWrite),
      senderFlush: h.readBigUInt64LE(WalDataOffset.senderFlush),
      senderReplay: h.readBigUInt64LE(WalDataOffset.senderReplay),
      catchup: h[WalDataOffset.catchup] !== 0,
    },
    wal: payload.subarray(1 + OG_XLOGDATA_HEADER_SIZE),
  }
}

export interface Keepalive {
  readonly walEnd: bigint
  readonly peerRole: number
  readonly peerState: number
  readonly sendTime: bigint
  readonly replyRequested: boolean
  readonly catchup: boolean
  readonly uwalCatchup: boolean
  readonly fullSync: boolean
}

/** The CopyData payload of a keepalive: `'k'` + 32 bytes. */
export function encodeKeepalive(message: Keepalive): Buffer {
  const out = Buffer.alloc(1 + OG_KEEPALIVE_SIZE)
  out.write('k', 0, 'latin1')
  const k = out.subarray(1)
  k.writeBigUInt64LE(message.walEnd, KeepaliveOffset.walEnd)
  k.writeInt32LE(message.peerRole, KeepaliveOffset.peerRole)
  k.writeInt32LE(message.peerState, KeepaliveOffset.peerState)
  k.writeBigInt64LE(message.sendTime, KeepaliveOffset.sendTime)
  k.writeUInt8(message.replyRequested ? 1 : 0, KeepaliveOffset.replyRequested)
  k.writeUInt8(message.catchup ? 1 : 0, KeepaliveOffset.catchup)
  k.writeUInt8(message.uwalCatchup ? 1 : 0, KeepaliveOffset.uwalCatchup)
  k.writeUInt8(message.fullSync ? 1 : 0, KeepaliveOffset.fullSync)
  return out
}

export function decodeKeepalive(payload: Buffer): Keepalive {
  if (payload[0] !== 0x6b || payload.length !== 1 + OG_KEEPALIVE_SIZE) {
    throw new Error('not an openGauss keepalive message')
  }
  const k = payload.subarray(1)
  return {
    walEnd: k.readBigUInt64LE(KeepaliveOffset.walEnd),
    peerRole: k.readInt32LE(KeepaliveOffset.peerRole),
    peerState: k.readInt32LE(KeepaliveOffset.peerState),
    sendTime: k.readBigInt64LE(KeepaliveOffset.sendTime),
    replyRequested: k[KeepaliveOffset.replyRequested] !== 0,
    catchup: k[KeepaliveOffset.catchup] !== 0,
    uwalCatchup: k[KeepaliveOffset.uwalCatchup] !== 0,
    fullSync: k[KeepaliveOffset.fullSync] !== 0,
  }
}

export interface StandbyReply {
  readonly receive: bigint
  readonly write: bigint
  readonly flush: bigint
  readonly apply: bigint
  readonly applyRead: bigint
  readonly peerRole: number
  readonly peerState: number
  readonly sendTime: bigint
  readonly replyRequested: boolean
  readonly replyFlags: number
}

/** The CopyData payload a client sends: `'r'` + 64 bytes (gs_basebackup: role 3 STANDBY, state 7 BUILDING). */
export function encodeStandbyReply(reply: StandbyReply): Buffer {
  const out = Buffer.alloc(1 + OG_STANDBY_REPLY_SIZE)
  out.write('r', 0, 'latin1')
  const r = out.subarray(1)
  r.writeBigUInt64LE(reply.receive, StandbyReplyOffset.receive)
  r.writeBigUInt64LE(reply.write, StandbyReplyOffset.write)
  r.writeBigUInt64LE(reply.flush, StandbyReplyOffset.flush)
  r.writeBigUInt64LE(reply.apply, StandbyReplyOffset.apply)
  r.writeBigUInt64LE(reply.applyRead, StandbyReplyOffset.applyRead)
  r.writeInt32LE(reply.peerRole, StandbyReplyOffset.peerRole)
  r.writeInt32LE(reply.peerState, StandbyReplyOffset.peerState)
  r.writeBigInt64LE(reply.sendTime, StandbyReplyOffset.sendTime)
  r.writeUInt8(reply.replyRequested ? 1 : 0, StandbyReplyOffset.replyRequested)
  r.writeUInt32LE(reply.replyFlags, StandbyReplyOffset.replyFlags)
  return out
}

export function decodeStandbyReply(payload: Buffer): StandbyReply {
  if (payload[0] !== 0x72 || payload.length !== 1 + OG_STANDBY_REPLY_SIZE) {
    throw new Error(`not an openGauss standby reply (${payload.length} bytes)`)
  }
  const r = payload.subarray(1)
  return {
    receive: r.readBigUInt64LE(StandbyReplyOffset.receive),
    write: r.readBigUInt64LE(StandbyReplyOffset.write),
    flush: r.readBigUInt64LE(StandbyReplyOffset.flush),
    apply: r.readBigUInt64LE(StandbyReplyOffset.apply),
    applyRead: r.readBigUInt64LE(StandbyReplyOffset.applyRead),
    peerRole: r.readInt32LE(StandbyReplyOffset.peerRole),
    peerState: r.readInt32LE(StandbyReplyOffset.peerState),
    sendTime: r.readBigInt64LE(StandbyReplyOffset.sendTime),
    replyRequested: r[StandbyReplyOffset.replyRequested] !== 0,
    replyFlags: r.readUInt32LE(StandbyReplyOffset.replyFlags),
  }
}
