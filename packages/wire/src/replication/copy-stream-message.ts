// The typed CopyData messages of PostgreSQL 15+ BASE_BACKUP (basebackup_copy.c): one type byte, then
//   'n' new archive: archive name\0 tablespace location\0 ('' for the base directory)
//   'd' archive or manifest data: the bytes
//   'p' progress: int64 bytes done
//   'm' the manifest follows: no payload
import { ProtocolError } from '../errors.js'

export const enum CopyStreamType {
  NewArchive = 0x6e, // n
  Data = 0x64, // d
  Progress = 0x70, // p
  Manifest = 0x6d, // m
}

const TYPE_OFFSET = 0
const BODY_OFFSET = 1
const INT64_LENGTH = 8

export type CopyStreamMessage =
  | { readonly type: 'newArchive'; readonly name: string; readonly location: string }
  | { readonly type: 'data'; readonly data: Buffer }
  | { readonly type: 'progress'; readonly bytes: number }
  | { readonly type: 'manifest' }

function cstring(payload: Buffer, start: number, what: string): { text: string; next: number } {
  const end = payload.indexOf(0, start)
  if (end < 0) {
    throw new ProtocolError(`BASE_BACKUP new-archive message lacks the end of its ${what}`)
  }
  return { text: payload.toString('utf8', start, end), next: end + 1 }
}

/** Decodes one CopyData payload of the PostgreSQL 15+ BASE_BACKUP stream. */
export function decodeCopyStreamMessage(payload: Buffer): CopyStreamMessage {
  const type = payload[TYPE_OFFSET]
  switch (type) {
    case CopyStreamType.Data:
      return { type: 'data', data: payload.subarray(BODY_OFFSET) }
    case CopyStreamType.NewArchive: {
      const name = cstring(payload, BODY_OFFSET, 'archive name')
      const location = cstring(payload, name.next, 'tablespace location')
      if (name.text === '') {
        throw new ProtocolError('BASE_BACKUP new-archive message with an empty archive name')
      }
      return { type: 'newArchive', name: name.text, location: location.text }
    }
    case CopyStreamType.Progress: {
      if (payload.length !== BODY_OFFSET + INT64_LENGTH) {
        throw new ProtocolError(`BASE_BACKUP progress message has ${payload.length} bytes, expected ${BODY_OFFSET + INT64_LENGTH}`)
      }
      const bytes = payload.readBigInt64BE(BODY_OFFSET)
      if (bytes < 0n) {
        throw new ProtocolError('BASE_BACKUP progress is negative')
      }
      return { type: 'progress', bytes: Number(bytes) }
    }
    case CopyStreamType.Manifest:
      return { type: 'manifest' }
    default:
      throw new ProtocolError(
        type === undefined ? 'empty CopyData message in BASE_BACKUP' : `unknown BASE_BACKUP CopyData type 0x${type.toString(16)}`
      )
  }
}
