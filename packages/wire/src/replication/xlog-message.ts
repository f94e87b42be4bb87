// PostgreSQL's streaming-replication sub-messages, carried in CopyData, all big-endian
// (protocol-replication docs): XLogData 'w', primary keepalive 'k', standby status update 'r'.
import { ProtocolError } from '../errors.js'
import type { Lsn } from '../lsn.js'

export const enum ReplicationMessageType {
  XLogData = 0x77, // w
  Keepalive = 0x6b, // k
  StandbyStatus = 0x72, // r
  /** openGauss config-file push; ignored. */
  ConfigFile = 0x6d, // m
}

/** A decoded server → client replication message, whichever dialect it came in. */
export type ReplicationMessage =
  | { readonly type: 'xlogData'; readonly walStart: Lsn; readonly walEnd: Lsn; readonly serverTime: bigint; readonly data: Buffer }
  | { readonly type: 'keepalive'; readonly walEnd: Lsn; readonly serverTime: bigint; readonly replyRequested: boolean }
  | { readonly type: 'ignored' }

export interface StandbyStatus {
  readonly write: Lsn
  readonly flush: Lsn
  readonly apply: Lsn
  /** Microseconds since 2000-01-01 UTC. */
  readonly sendTime: bigint
  readonly replyRequested: boolean
}

/** XLogData offsets. */
const XLOG_WAL_START = 1
const XLOG_WAL_END = 9
const XLOG_SEND_TIME = 17
export const XLOG_HEADER_LENGTH = 25
/** Keepalive offsets. */
const KEEPALIVE_WAL_END = 1
const KEEPALIVE_SEND_TIME = 9
const KEEPALIVE_REPLY_REQUESTED = 17
export const KEEPALIVE_LENGTH = 18
/** Standby status update offsets. */
const STATUS_WRITE = 1
const STATUS_FLUSH = 9
const STATUS_APPLY = 17
const STATUS_SEND_TIME = 25
const STATUS_REPLY_REQUESTED = 33
export const STANDBY_STATUS_LENGTH = 34

const POSTGRES_EPOCH_MS = 946684800000n

/** Now, in the replication protocol's clock: microseconds since 2000-01-01 UTC. */
export function replicationNow(nowMs: number = Date.now()): bigint {
  return (BigInt(nowMs) - POSTGRES_EPOCH_MS) * 1000n
}

/** Decodes one CopyData payload of a PostgreSQL physical replication stream. */
export function decodeReplicationMessage(payload: Buffer): ReplicationMessage {
  const type = payload[0]
  switch (type) {
    case ReplicationMessageType.XLogData:
      if (payload.length < XLOG_HEADER_LENGTH) {
        throw new ProtocolError(`XLogData message has ${payload.length} bytes, less than its ${XLOG_HEADER_LENGTH}-byte header`)
      }
      return {
        type: 'xlogData',
        walStart: payload.readBigUInt64BE(XLOG_WAL_START),
        walEnd: payload.readBigUInt64BE(XLOG_WAL_END),
        serverTime: payload.readBigInt64BE(XLOG_SEND_TIME),
        data: payload.subarray(XLOG_HEADER_LENGTH),
      }
    case ReplicationMessageType.Keepalive:
      if (payload.length !== KEEPALIVE_LENGTH) {
        throw new ProtocolError(`keepalive message has ${payload.length} bytes, expected ${KEEPALIVE_LENGTH}`)
      }
      return {
        type: 'keepalive',
        walEnd: payload.readBigUInt64BE(KEEPALIVE_WAL_END),
        serverTime: payload.readBigInt64BE(KEEPALIVE_SEND_TIME),
        replyRequested: payload[KEEPALIVE_REPLY_REQUESTED] !== 0,
      }
    default:
      throw new ProtocolError(
        type === undefined ? 'empty CopyData in the replication stream' : `unknown replication message type 0x${type.toString(16)}`
      )
  }
}

/** Encodes a standby status update (the CopyData payload). */
export function encodeStandbyStatus(status: StandbyStatus): Buffer {
  const out = Buffer.alloc(STANDBY_STATUS_LENGTH)
  out[0] = ReplicationMessageType.StandbyStatus
  out.writeBigUInt64BE(status.write, STATUS_WRITE)
  out.writeBigUInt64BE(status.flush, STATUS_FLUSH)
  out.writeBigUInt64BE(status.apply, STATUS_APPLY)
  out.writeBigInt64BE(status.sendTime, STATUS_SEND_TIME)
  out[STATUS_REPLY_REQUESTED] = status.replyRequested ? 1 : 0
  return out
}
