// openGauss's streaming-replication sub-messages (reference §6, walprotocol.h): native C structs,
// little-endian on x86-64/ARM64, after the one type byte.
//   'w' + WalDataMessageHeader (64 bytes) + WAL bytes
//   'k' + keepalive (32 bytes; the message is exactly 33)
//   'r' + standby reply (64 bytes)
//   'm' config-file push: ignored
import { ProtocolError } from '../errors.js'
import { ReplicationMessageType, type ReplicationMessage, type StandbyStatus } from './xlog-message.js'

const TYPE_LENGTH = 1
/** WalDataMessageHeader, offsets from the start of the struct. */
const DATA_START = 0
const DATA_WAL_END = 8
const DATA_SEND_TIME = 16
export const OG_XLOG_HEADER_LENGTH = 64
/** Keepalive struct. */
const KEEPALIVE_WAL_END = 0
const KEEPALIVE_SEND_TIME = 16
const KEEPALIVE_REPLY_REQUESTED = 24
export const OG_KEEPALIVE_LENGTH = 32
/** Standby reply struct. */
const REPLY_RECEIVE = 0
const REPLY_WRITE = 8
const REPLY_FLUSH = 16
const REPLY_APPLY = 24
const REPLY_APPLY_READ = 32
const REPLY_PEER_ROLE = 40
const REPLY_PEER_STATE = 44
const REPLY_SEND_TIME = 48
const REPLY_REPLY_REQUESTED = 56
const REPLY_FLAGS = 60
export const OG_REPLY_LENGTH = 64
const STANDBY_MODE = 3
const BUILDING_STATE = 7

export function decodeOpenGaussReplicationMessage(payload: Buffer): ReplicationMessage {
  const type = payload[0]
  const body = payload.subarray(TYPE_LENGTH)
  switch (type) {
    case ReplicationMessageType.XLogData:
      if (body.length < OG_XLOG_HEADER_LENGTH) {
        throw new ProtocolError(`openGauss XLogData has ${payload.length} bytes, less than its ${TYPE_LENGTH + OG_XLOG_HEADER_LENGTH}-byte header`)
      }
      return {
        type: 'xlogData',
        walStart: body.readBigUInt64LE(DATA_START),
        walEnd: body.readBigUInt64LE(DATA_WAL_END),
        serverTime: body.readBigInt64LE(DATA_SEND_TIME),
        data: body.subarray(OG_XLOG_HEADER_LENGTH),
      }
    case ReplicationMessageType.Keepalive:
      if (body.length !== OG_KEEPALIVE_LENGTH) {
        throw new ProtocolError(`openGauss keepalive has ${payload.length} bytes, expected ${TYPE_LENGTH + OG_KEEPALIVE_LENGTH}`)
      }
      return {
        type: 'keepalive',
        walEnd: body.readBigUInt64LE(KEEPALIVE_WAL_END),
        serverTime: body.readBigInt64LE(KEEPALIVE_SEND_TIME),
        replyRequested: body[KEEPALIVE_REPLY_REQUESTED] !== 0,
      }
    case ReplicationMessageType.ConfigFile:
      return { type: 'ignored' }
    default:
      throw new ProtocolError(
        type === undefined ? 'empty CopyData in the replication stream' : `unknown openGauss replication message type 0x${type.toString(16)}`
      )
  }
}

/** The standby reply as gs_basebackup sends it: role STANDBY_MODE, state BUILDING_STATE, flags 0. */
export function encodeOpenGaussStandbyStatus(status: StandbyStatus): Buffer {
  const out = Buffer.alloc(TYPE_LENGTH + OG_REPLY_LENGTH)
  out[0] = ReplicationMessageType.StandbyStatus
  const body = out.subarray(TYPE_LENGTH)
  body.writeBigUInt64LE(status.write, REPLY_RECEIVE)
  body.writeBigUInt64LE(status.write, REPLY_WRITE)
  body.writeBigUInt64LE(status.flush, REPLY_FLUSH)
  body.writeBigUInt64LE(status.apply, REPLY_APPLY)
  body.writeBigUInt64LE(0n, REPLY_APPLY_READ)
  body.writeInt32LE(STANDBY_MODE, REPLY_PEER_ROLE)
  body.writeInt32LE(BUILDING_STATE, REPLY_PEER_STATE)
  body.writeBigInt64LE(status.sendTime, REPLY_SEND_TIME)
  body[REPLY_REPLY_REQUESTED] = status.replyRequested ? 1 : 0
  body.writeUInt32LE(0, REPLY_FLAGS)
  return out
}
