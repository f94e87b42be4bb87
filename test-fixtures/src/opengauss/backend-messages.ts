// Pure encoders of the backend messages the simulator sends, byte for byte as openGauss's
// pq_send* calls build them (see the reference and basebackup.cpp / walsender.cpp / auth.cpp).
import { BackendWriter } from './backend-writer.js'
import { OgAuthCode, OgStoredMethod, OG_PROTOCOL_GAUSS_BASE, PgTypeOid } from './constants.js'

/** A RowDescription field as the walsender describes it (table oid, attnum, typmod and format are 0). */
export interface FieldSpec {
  readonly name: string
  readonly typeOid: number
  /** typlen: 4 / 8 for fixed types, -1 (sent as UINT16_MAX) for text. */
  readonly typeLength: number
}

export const textField = (name: string): FieldSpec => ({ name, typeOid: PgTypeOid.text, typeLength: -1 })
export const int4Field = (name: string): FieldSpec => ({ name, typeOid: PgTypeOid.int4, typeLength: 4 })
export const int8Field = (name: string): FieldSpec => ({ name, typeOid: PgTypeOid.int8, typeLength: 8 })
export const oidField = (name: string): FieldSpec => ({ name, typeOid: PgTypeOid.oid, typeLength: 4 })

/** ErrorResponse / NoticeResponse fields, in the order openGauss's `send_message_to_frontend` writes them. */
export interface ErrorFields {
  readonly severity: string
  readonly code: string
  readonly message: string
  readonly detail?: string
  readonly hint?: string
  readonly file?: string
  readonly line?: number
  readonly routine?: string
}

export function authenticationOk(): Buffer {
  return new BackendWriter().int32(OgAuthCode.ok).flush('R')
}

/** Inputs of an `AUTH_REQ_SHA256` (code 10) request with a SHA256 stored password. */
export interface Sha256RequestInput {
  /** The client's protocol minor version: < 50 adds the server signature, > 50 the iteration count. */
  readonly protocolMinor: number
  /** 64 lowercase hex characters. */
  readonly saltHex: string
  /** 8 lowercase hex characters. */
  readonly tokenHex: string
  /** 64 lowercase hex characters: HMAC-SHA256(ServerKey, token); sent only to minor < 50. */
  readonly serverSignatureHex: string
  readonly iterations: number
}

/** `R` code 10: int32 10, int32 stored method 2, salt hex, token hex, [signature hex | int32 iterations]. */
export function authenticationSha256(input: Sha256RequestInput): Buffer {
  const writer = new BackendWriter()
    .int32(OgAuthCode.sha256)
    .int32(OgStoredMethod.sha256)
    .bytes(Buffer.from(input.saltHex, 'latin1'))
    .bytes(Buffer.from(input.tokenHex, 'latin1'))
  if (input.protocolMinor < OG_PROTOCOL_GAUSS_BASE) {
    writer.bytes(Buffer.from(input.serverSignatureHex, 'latin1'))
  }
  if (input.protocolMinor > OG_PROTOCOL_GAUSS_BASE) {
    writer.int32(input.iterations)
  }
  return writer.flush('R')
}

/** `R` code 11 (md5 requested, SHA256 stored): int32 11, 64-hex sha256 salt, 4 raw md5 salt bytes. */
export function authenticationMd5Sha256(saltHex: string, md5Salt: Buffer): Buffer {
  return new BackendWriter()
    .int32(OgAuthCode.md5Sha256)
    .bytes(Buffer.from(saltHex, 'latin1'))
    .bytes(md5Salt)
    .flush('R')
}

export function parameterStatus(name: string, value: string): Buffer {
  return new BackendWriter().cstring(name).cstring(value).flush('S')
}

export function backendKeyData(processId: number, secretKey: number): Buffer {
  return new BackendWriter().int32(processId).int32(secretKey).flush('K')
}

export function readyForQuery(status: 'I' | 'T' | 'E' = 'I'): Buffer {
  return new BackendWriter().int8(status.charCodeAt(0)).flush('Z')
}

function encodeFields(writer: BackendWriter, fields: ErrorFields): BackendWriter {
  writer.int8(0x53).cstring(fields.severity) // S
  writer.int8(0x43).cstring(fields.code) // C
  writer.int8(0x4d).cstring(fields.message) // M
  if (fields.detail !== undefined) {
    writer.int8(0x44).cstring(fields.detail) // D
  }
  if (fields.hint !== undefined) {
    writer.int8(0x48).cstring(fields.hint) // H
  }
  if (fields.file !== undefined) {
    writer.int8(0x46).cstring(fields.file) // F
  }
  if (fields.line !== undefined) {
    writer.int8(0x4c).cstring(String(fields.line)) // L
  }
  if (fields.routine !== undefined) {
    writer.int8(0x52).cstring(fields.routine) // R
  }
  return writer.int8(0)
}

export function errorResponse(fields: ErrorFields): Buffer {
  return encodeFields(new BackendWriter(), fields).flush('E')
}

export function noticeResponse(fields: ErrorFields): Buffer {
  return encodeFields(new BackendWriter(), fields).flush('N')
}

export function rowDescription(fields: readonly FieldSpec[]): Buffer {
  const writer = new BackendWriter().int16(fields.length)
  for (const field of fields) {
    writer.cstring(field.name).int32(0).int16(0).int32(field.typeOid).int16(field.typeLength).int32(0).int16(0)
  }
  return writer.flush('T')
}

/** A DataRow of text values; `null` is sent as length -1. */
export function dataRow(values: readonly (string | null)[]): Buffer {
  const writer = new BackendWriter().int16(values.length)
  for (const value of values) {
    if (value === null) {
      writer.int32(-1)
    } else {
      const bytes = Buffer.from(value, 'utf8')
      writer.int32(bytes.length).bytes(bytes)
    }
  }
  return writer.flush('D')
}

export function commandComplete(tag: string): Buffer {
  return new BackendWriter().cstring(tag).flush('C')
}

export function emptyQueryResponse(): Buffer {
  return new BackendWriter().flush('I')
}

/** CopyOutResponse as BASE_BACKUP sends it: overall format 0, 0 columns. */
export function copyOutResponse(): Buffer {
  return new BackendWriter().int8(0).int16(0).flush('H')
}

/** CopyBothResponse as START_REPLICATION sends it: overall format 0, 0 columns. */
export function copyBothResponse(): Buffer {
  return new BackendWriter().int8(0).int16(0).flush('W')
}

export function copyData(payload: Uint8Array): Buffer {
  return new BackendWriter().bytes(payload).flush('d')
}

export function copyDone(): Buffer {
  return new BackendWriter().flush('c')
}

/** One complete result set: RowDescription, one DataRow per row, CommandComplete (`SELECT` as the walsender sends it). */
export function resultSet(
  fields: readonly FieldSpec[],
  rows: readonly (readonly (string | null)[])[],
  tag = 'SELECT'
): Buffer[] {
  return [rowDescription(fields), ...rows.map((row) => dataRow(row)), commandComplete(tag)]
}
