// The client half of openGauss's login, for the simulator's tests.
import { md5Sha256Response, sha256ClientProof } from '../auth.js'
import { OG_PROTOCOL_3_51, OG_PROTOCOL_GAUSS_BASE, OgAuthCode } from '../constants.js'
import type { Frame, RawClient } from './raw-client.js'

/** A decoded `R` message of code 10 or 11. */
export interface AuthRequest {
  readonly code: number
  readonly storedMethod?: number
  readonly saltHex: string
  readonly tokenHex?: string
  readonly serverSignatureHex?: string
  readonly iterations?: number
  readonly md5Salt?: Buffer
}

export function decodeAuthRequest(body: Buffer, protocolMinor: number): AuthRequest {
  const code = body.readInt32BE(0)
  if (code === OgAuthCode.md5Sha256) {
    return { code, saltHex: body.toString('latin1', 4, 68), md5Salt: body.subarray(68, 72) }
  }
  if (code !== OgAuthCode.sha256) {
    return { code, saltHex: '' }
  }
  const request = {
    code,
    storedMethod: body.readInt32BE(4),
    saltHex: body.toString('latin1', 8, 72),
    tokenHex: body.toString('latin1', 72, 80),
  }
  if (protocolMinor < OG_PROTOCOL_GAUSS_BASE) {
    return { ...request, serverSignatureHex: body.toString('latin1', 80, 144) }
  }
  if (protocolMinor > OG_PROTOCOL_GAUSS_BASE) {
    return { ...request, iterations: body.readInt32BE(80) }
  }
  return request
}

export interface LoginOptions {
  readonly user: string
  readonly password: string
  readonly protocol?: number
  readonly replication?: boolean
  readonly applicationName?: string
  /** The iteration count to use when the server sends none (protocol 3.0 / 3.50, md5_sha256). */
  readonly iterations?: number
}

/** Logs in and returns every message after the PasswordMessage up to ReadyForQuery (or the error). */
export async function login(client: RawClient, options: LoginOptions): Promise<{ request: AuthRequest; after: Frame[] }> {
  const protocol = options.protocol ?? OG_PROTOCOL_3_51
  const minor = protocol & 0xffff
  const parameters: Record<string, string> = { user: options.user, database: 'replication' }
  if (options.replication) {
    parameters['replication'] = 'true'
  }
  if (options.applicationName !== undefined) {
    parameters['application_name'] = options.applicationName
  }
  client.startup(parameters, protocol)
  const first = await client.next()
  if (first.code !== 'R') {
    return { request: { code: -1, saltHex: '' }, after: [first] }
  }
  const request = decodeAuthRequest(first.body, minor)
  const iterations = request.iterations ?? options.iterations ?? 10000
  if (request.code === OgAuthCode.sha256) {
    client.password(sha256ClientProof(options.password, request.saltHex, request.tokenHex ?? '', iterations))
  } else if (request.code === OgAuthCode.md5Sha256) {
    client.password(md5Sha256Response(options.password, request.saltHex, request.md5Salt ?? Buffer.alloc(4), iterations))
  } else if (request.code === OgAuthCode.ok) {
    return { request, after: [first, ...(await client.until('Z'))] }
  }
  const after: Frame[] = []
  for (;;) {
    const frame = await client.next()
    after.push(frame)
    if (frame.code === 'Z' || frame.code === 'E') {
      return { request, after }
    }
  }
}
