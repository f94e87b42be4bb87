// Backend messages as a discriminated union. Whole frames (frame-reader.ts) are decoded by
// pg-protocol's Parser; this module owns only what pg-protocol cannot do right for a replication
// client: the raw Authentication request (openGauss reuses codes 10–13 with other payloads),
// NegotiateProtocolVersion (pg-protocol does not know 'v'), and CopyData kept as a view. Anything
// malformed or unknown is thrown as ProtocolError, never returned as a value.
import { DatabaseError } from 'pg-protocol'
import { Parser } from 'pg-protocol/dist/parser.js'
import { ProtocolError, type ServerMessageFields } from './errors.js'
import type { Frame } from './frame-reader.js'

export const enum BackendCode {
  Authentication = 0x52, // R
  NegotiateProtocolVersion = 0x76, // v
  ParameterStatus = 0x53, // S
  BackendKeyData = 0x4b, // K
  ReadyForQuery = 0x5a, // Z
  RowDescription = 0x54, // T
  DataRow = 0x44, // D
  CommandComplete = 0x43, // C
  EmptyQuery = 0x49, // I
  CopyInResponse = 0x47, // G
  CopyOutResponse = 0x48, // H
  CopyBothResponse = 0x57, // W
  CopyData = 0x64, // d
  CopyDone = 0x63, // c
  ErrorResponse = 0x45, // E
  NoticeResponse = 0x4e, // N
  NotificationResponse = 0x41, // A
}

export interface AuthenticationMessage {
  readonly name: 'authentication'
  /** The request code (0 ok, 3 cleartext, 5 md5, 10–12 SASL on PostgreSQL, 10–13 sha256/md5_sha256/… on openGauss). */
  readonly request: number
  /** The bytes after the code, left to the flavor-aware authenticator. */
  readonly data: Buffer
}
export interface NegotiateProtocolVersionMessage {
  readonly name: 'negotiateProtocolVersion'
  readonly newestMinor: number
  readonly unrecognizedOptions: readonly string[]
}
export interface ParameterStatusMessage {
  readonly name: 'parameterStatus'
  readonly parameter: string
  readonly value: string
}
export interface BackendKeyDataMessage {
  readonly name: 'backendKeyData'
  readonly processId: number
}
export interface ReadyForQueryMessage {
  readonly name: 'readyForQuery'
  readonly status: string
}
export interface FieldDescription {
  readonly name: string
  readonly dataTypeId: number
}
export interface RowDescriptionMessage {
  readonly name: 'rowDescription'
  readonly fields: readonly FieldDescription[]
}
export interface DataRowMessage {
  readonly name: 'dataRow'
  readonly values: readonly (string | null)[]
}
export interface CommandCompleteMessage {
  readonly name: 'commandComplete'
  readonly tag: string
}
export interface EmptyQueryMessage {
  readonly name: 'emptyQuery'
}
export interface CopyResponseMessage {
  readonly name: 'copyInResponse' | 'copyOutResponse' | 'copyBothResponse'
}
export interface CopyDataMessage {
  readonly name: 'copyData'
  readonly data: Buffer
}
export interface CopyDoneMessage {
  readonly name: 'copyDone'
}
export interface ErrorMessage {
  readonly name: 'error'
  readonly fields: ServerMessageFields
}
export interface NoticeMessage {
  readonly name: 'notice'
  readonly fields: ServerMessageFields
}
export interface NotificationMessage {
  readonly name: 'notification'
  readonly channel: string
  readonly payload: string
}

export type BackendMessage =
  | AuthenticationMessage
  | NegotiateProtocolVersionMessage
  | ParameterStatusMessage
  | BackendKeyDataMessage
  | ReadyForQueryMessage
  | RowDescriptionMessage
  | DataRowMessage
  | CommandCompleteMessage
  | EmptyQueryMessage
  | CopyResponseMessage
  | CopyDataMessage
  | CopyDoneMessage
  | ErrorMessage
  | NoticeMessage
  | NotificationMessage

const COPY_DONE: CopyDoneMessage = Object.freeze({ name: 'copyDone' })
const EMPTY_QUERY: EmptyQueryMessage = Object.freeze({ name: 'emptyQuery' })
const COPY_BOTH: CopyResponseMessage = Object.freeze({ name: 'copyBothResponse' })

const INT32_LENGTH = 4

/** Decodes one whole frame. Throws ProtocolError for unknown types and malformed payloads. */
export class BackendDecoder {
  #parser = new Parser()

  decode(frame: Frame): BackendMessage {
    switch (frame.code) {
      case BackendCode.CopyData:
        return { name: 'copyData', data: frame.payload }
      case BackendCode.CopyDone:
        return COPY_DONE
      case BackendCode.EmptyQuery:
        return EMPTY_QUERY
      case BackendCode.CopyBothResponse:
        return COPY_BOTH
      case BackendCode.Authentication:
        return decodeAuthentication(frame.payload)
      case BackendCode.NegotiateProtocolVersion:
        return decodeNegotiate(frame.payload)
      case BackendCode.ErrorResponse:
      case BackendCode.NoticeResponse:
        // pg-protocol loops forever on a field list without its terminator: check it first.
        checkFieldList(frame)
        return this.#viaPgProtocol(frame)
      case BackendCode.ParameterStatus:
      case BackendCode.BackendKeyData:
      case BackendCode.ReadyForQuery:
      case BackendCode.RowDescription:
      case BackendCode.DataRow:
      case BackendCode.CommandComplete:
      case BackendCode.CopyInResponse:
      case BackendCode.CopyOutResponse:
      case BackendCode.NotificationResponse:
        return this.#viaPgProtocol(frame)
      default:
        throw new ProtocolError(`unexpected message type 0x${frame.code.toString(16)} from the server`)
    }
  }

  #viaPgProtocol(frame: Frame): BackendMessage {
    let decoded: unknown
    try {
      this.#parser.parse(frame.bytes, (message) => {
        decoded = message
      })
    } catch (error) {
      // A throw leaves pg-protocol's parser holding the bad frame: start a fresh one.
      this.#parser = new Parser()
      throw new ProtocolError(`malformed message of type 0x${frame.code.toString(16)} from the server`, { cause: error })
    }
    return fromPgProtocol(frame.code, decoded)
  }
}

function fromPgProtocol(code: number, decoded: unknown): BackendMessage {
  const message = decoded as Record<string, unknown> | undefined
  if (message === undefined) {
    throw new ProtocolError(`message of type 0x${code.toString(16)} was not decoded`)
  }
  switch (code) {
    case BackendCode.ParameterStatus:
      return { name: 'parameterStatus', parameter: String(message.parameterName), value: String(message.parameterValue) }
    case BackendCode.BackendKeyData:
      return { name: 'backendKeyData', processId: Number(message.processID) }
    case BackendCode.ReadyForQuery:
      return { name: 'readyForQuery', status: String(message.status) }
    case BackendCode.RowDescription: {
      const fields = (message.fields as Array<{ name: string; dataTypeID: number }>).map((field) => ({
        name: field.name,
        dataTypeId: field.dataTypeID,
      }))
      return { name: 'rowDescription', fields }
    }
    case BackendCode.DataRow:
      return { name: 'dataRow', values: message.fields as (string | null)[] }
    case BackendCode.CommandComplete:
      return { name: 'commandComplete', tag: String(message.text) }
    case BackendCode.CopyInResponse:
      return { name: 'copyInResponse' }
    case BackendCode.CopyOutResponse:
      return { name: 'copyOutResponse' }
    case BackendCode.NotificationResponse:
      return { name: 'notification', channel: String(message.channel), payload: String(message.payload) }
    case BackendCode.ErrorResponse:
    case BackendCode.NoticeResponse: {
      const fields = serverFields(message)
      if (fields.severity === undefined) {
        throw new ProtocolError(`error or notice without a severity from the server`)
      }
      return code === BackendCode.ErrorResponse ? { name: 'error', fields } : { name: 'notice', fields }
    }
    default:
      throw new ProtocolError(`unexpected message type 0x${code.toString(16)} from the server`)
  }
}

function optional(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function serverFields(message: Record<string, unknown>): ServerMessageFields {
  if (message instanceof DatabaseError && message.severity === undefined) {
    throw new ProtocolError(String(message.message))
  }
  return {
    severity: optional(message.severity),
    code: optional(message.code),
    message: optional(message.message) ?? '',
    detail: optional(message.detail),
    hint: optional(message.hint),
    position: optional(message.position),
    internalPosition: optional(message.internalPosition),
    internalQuery: optional(message.internalQuery),
    where: optional(message.where),
    schema: optional(message.schema),
    table: optional(message.table),
    column: optional(message.column),
    dataType: optional(message.dataType),
    constraint: optional(message.constraint),
    file: optional(message.file),
    line: optional(message.line),
    routine: optional(message.routine),
  }
}

/** An ErrorResponse/NoticeResponse body is (type byte, cstring)* then one NUL, ending the payload. */
function checkFieldList(frame: Frame): void {
  const payload = frame.payload
  let offset = 0
  while (offset < payload.length && payload[offset] !== 0) {
    const end = payload.indexOf(0, offset + 1)
    if (end < 0) {
      throw new ProtocolError(`malformed field list in message type 0x${frame.code.toString(16)}`)
    }
    offset = end + 1
  }
  if (offset !== payload.length - 1) {
    throw new ProtocolError(`malformed field list in message type 0x${frame.code.toString(16)}`)
  }
}

function decodeAuthentication(payload: Buffer): AuthenticationMessage {
  if (payload.length < INT32_LENGTH) {
    throw new ProtocolError('authentication request too short')
  }
  return { name: 'authentication', request: payload.readInt32BE(0), data: payload.subarray(INT32_LENGTH) }
}

function decodeNegotiate(payload: Buffer): NegotiateProtocolVersionMessage {
  if (payload.length < 2 * INT32_LENGTH) {
    throw new ProtocolError('NegotiateProtocolVersion too short')
  }
  // The server sends the whole version word (major << 16 | minor), whatever the docs' wording.
  const newestMinor = payload.readInt32BE(0) & 0xffff
  const count = payload.readInt32BE(INT32_LENGTH)
  const options: string[] = []
  let offset = 2 * INT32_LENGTH
  for (let i = 0; i < count; i += 1) {
    const end = payload.indexOf(0, offset)
    if (end < 0) {
      throw new ProtocolError('NegotiateProtocolVersion option list is malformed')
    }
    options.push(payload.toString('utf8', offset, end))
    offset = end + 1
  }
  return { name: 'negotiateProtocolVersion', newestMinor, unrecognizedOptions: options }
}
