// Frontend messages. Everything pg-protocol's serializer has is taken from it; only the startup
// packet (pg-protocol hard-codes protocol 3.0, openGauss wants 3.51) is built here.
import { serialize } from 'pg-protocol'

const INT32_LENGTH = 4
const PROTOCOL_MAJOR = 3

/** The startup packet for protocol 3.`minor` with the given parameters. */
export function startupMessage(parameters: Readonly<Record<string, string>>, minor: number): Buffer {
  const body: Buffer[] = []
  for (const [key, value] of Object.entries(parameters)) {
    body.push(Buffer.from(`${key}\0${value}\0`, 'utf8'))
  }
  body.push(Buffer.from([0]))
  const params = Buffer.concat(body)
  const header = Buffer.allocUnsafe(2 * INT32_LENGTH)
  header.writeInt32BE(2 * INT32_LENGTH + params.length, 0)
  header.writeInt32BE((PROTOCOL_MAJOR << 16) | minor, INT32_LENGTH)
  return Buffer.concat([header, params])
}

export const frontend: {
  readonly sslRequest: () => Buffer
  readonly password: (text: string) => Buffer
  readonly saslInitialResponse: (mechanism: string, response: string) => Buffer
  readonly saslResponse: (response: string) => Buffer
  readonly query: (sql: string) => Buffer
  readonly copyData: (chunk: Buffer) => Buffer
  readonly copyDone: () => Buffer
  readonly terminate: () => Buffer
} = {
  sslRequest: serialize.requestSsl,
  password: serialize.password,
  saslInitialResponse: serialize.sendSASLInitialResponseMessage,
  saslResponse: serialize.sendSCRAMClientFinalMessage,
  query: serialize.query,
  copyData: serialize.copyData,
  copyDone: serialize.copyDone,
  terminate: serialize.end,
}
