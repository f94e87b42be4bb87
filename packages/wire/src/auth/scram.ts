// A SCRAM-SHA-256 / SCRAM-SHA-256-PLUS client (RFC 5802, RFC 7677, RFC 5929 tls-server-end-point),
// as pure steps: the connection feeds it the server's messages and sends what it returns.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'
import { AuthProtocolError } from '../errors.js'

export const SCRAM_SHA_256 = 'SCRAM-SHA-256'
export const SCRAM_SHA_256_PLUS = 'SCRAM-SHA-256-PLUS'
const NONCE_BYTES = 18
const KEY_LENGTH = 32
const MIN_ITERATIONS = 1

export interface ScramStart {
  readonly mechanism: string
  readonly clientFirst: string
  readonly state: ScramState
}

export interface ScramState {
  readonly clientNonce: string
  readonly clientFirstBare: string
  readonly gs2Header: string
  readonly channelBinding: Buffer | undefined
}

export interface ScramContinue {
  readonly clientFinal: string
  readonly expectedServerSignature: Buffer
}

/**
 * Starts the exchange. `channelBinding` is the tls-server-end-point hash when SCRAM-SHA-256-PLUS is
 * used; `tlsInUse` without it sends the 'y' flag (client could bind, server did not offer).
 */
export function scramStart(options: { channelBinding?: Buffer; tlsInUse: boolean; nonce?: string; user?: string }): ScramStart {
  const clientNonce = options.nonce ?? randomBytes(NONCE_BYTES).toString('base64')
  const plus = options.channelBinding !== undefined
  const gs2Header = plus ? 'p=tls-server-end-point,,' : options.tlsInUse ? 'y,,' : 'n,,'
  // The user name goes in the startup packet; PostgreSQL ignores the SCRAM one (sent empty).
  const user = (options.user ?? '').replaceAll('=', '=3D').replaceAll(',', '=2C')
  const clientFirstBare = `n=${user},r=${clientNonce}`
  return {
    mechanism: plus ? SCRAM_SHA_256_PLUS : SCRAM_SHA_256,
    clientFirst: gs2Header + clientFirstBare,
    state: { clientNonce, clientFirstBare, gs2Header, channelBinding: options.channelBinding },
  }
}

function attributes(message: string): Map<string, string> {
  const map = new Map<string, string>()
  for (const part of message.split(',')) {
    const eq = part.indexOf('=')
    if (eq !== 1) {
      throw new AuthProtocolError('malformed SCRAM message from the server')
    }
    map.set(part.slice(0, 1), part.slice(2))
  }
  return map
}

function hmac(key: Buffer, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest()
}

/** SASLprep, approximated: NFKC and non-ASCII spaces to ' ' (libpq also falls back to the raw string). */
export function saslPrep(password: string): string {
  if (/^[\x20-\x7e]*$/.test(password)) {
    return password
  }
  return password.replace(/[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/g, ' ').normalize('NFKC')
}

/** Answers the server-first message. Throws AuthProtocolError when the server's message is not valid. */
export function scramContinue(state: ScramState, serverFirst: string, password: string): ScramContinue {
  const attrs = attributes(serverFirst)
  const nonce = attrs.get('r')
  const salt = attrs.get('s')
  const iterationText = attrs.get('i')
  if (nonce === undefined || salt === undefined || iterationText === undefined) {
    throw new AuthProtocolError('SCRAM server-first message lacks nonce, salt or iteration count')
  }
  if (!nonce.startsWith(state.clientNonce) || nonce.length === state.clientNonce.length) {
    throw new AuthProtocolError('SCRAM server nonce does not extend the client nonce')
  }
  const iterations = Number(iterationText)
  if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS) {
    throw new AuthProtocolError('SCRAM iteration count is invalid')
  }
  const saltBytes = Buffer.from(salt, 'base64')
  if (saltBytes.length === 0) {
    throw new AuthProtocolError('SCRAM salt is empty')
  }
  const salted = pbkdf2Sync(saslPrep(password), saltBytes, iterations, KEY_LENGTH, 'sha256')
  const clientKey = hmac(salted, 'Client Key')
  const storedKey = createHash('sha256').update(clientKey).digest()
  const bindingInput = state.channelBinding
    ? Buffer.concat([Buffer.from(state.gs2Header), state.channelBinding])
    : Buffer.from(state.gs2Header)
  const finalWithoutProof = `c=${bindingInput.toString('base64')},r=${nonce}`
  const authMessage = `${state.clientFirstBare},${serverFirst},${finalWithoutProof}`
  const clientSignature = hmac(storedKey, authMessage)
  const proof = Buffer.alloc(KEY_LENGTH)
  for (let i = 0; i < KEY_LENGTH; i += 1) {
    proof[i] = (clientKey[i] as number) ^ (clientSignature[i] as number)
  }
  const serverKey = hmac(salted, 'Server Key')
  return {
    clientFinal: `${finalWithoutProof},p=${proof.toString('base64')}`,
    expectedServerSignature: hmac(serverKey, authMessage),
  }
}

/** Checks the server-final message: the server must prove it knows the password too. */
export function scramFinish(expected: ScramContinue, serverFinal: string): void {
  const attrs = attributes(serverFinal)
  const error = attrs.get('e')
  if (error !== undefined) {
    throw new AuthProtocolError(`SCRAM authentication failed on the server: ${error}`)
  }
  const verifier = attrs.get('v')
  const signature = verifier === undefined ? Buffer.alloc(0) : Buffer.from(verifier, 'base64')
  if (signature.length !== expected.expectedServerSignature.length ||
      !timingSafeEqual(signature, expected.expectedServerSignature)) {
    throw new AuthProtocolError('the server could not prove that it knows the password (SCRAM server signature mismatch)')
  }
}
