// openGauss's own password exchanges (opengauss-protocol reference §1). Request code 10 carries
// `int32 stored_method`, then for sha256 a 64-hex salt, an 8-hex token, and — for protocol minor
// > 50 — an int32 iteration count (minor < 50: a 64-hex server signature instead). Code 11
// (md5_sha256) carries the 64-hex salt and a 4-byte md5 salt.
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto'
import { AuthProtocolError } from '../errors.js'

export const OPENGAUSS_GAUSS_BASE_MINOR = 50
export const OPENGAUSS_DEFAULT_ITERATIONS = 10000

export const enum StoredMethod {
  Plain = 0,
  Md5 = 1,
  Sha256 = 2,
}

/** Byte offsets inside the code-10 payload (after the request code). */
const STORED_METHOD_OFFSET = 0
const SALT_OFFSET = 4
const SALT_HEX_LENGTH = 64
const TOKEN_OFFSET = SALT_OFFSET + SALT_HEX_LENGTH
const TOKEN_HEX_LENGTH = 8
const AFTER_TOKEN_OFFSET = TOKEN_OFFSET + TOKEN_HEX_LENGTH
const SERVER_SIGNATURE_HEX_LENGTH = 64
const MD5_SALT_LENGTH = 4
const KEY_LENGTH = 32
const HEX_PATTERN = /^[0-9a-fA-F]*$/

export type OpenGaussSha256Request =
  | { readonly storedMethod: StoredMethod.Plain | StoredMethod.Sha256; readonly salt: string; readonly token: string; readonly iterations: number }
  | { readonly storedMethod: StoredMethod.Md5; readonly md5Salt: Buffer }

function hex(data: Buffer, start: number, length: number, what: string): string {
  if (data.length < start + length) {
    throw new AuthProtocolError(`openGauss authentication request is too short for its ${what}`)
  }
  const text = data.toString('latin1', start, start + length)
  if (!HEX_PATTERN.test(text)) {
    throw new AuthProtocolError(`openGauss authentication ${what} is not hexadecimal`)
  }
  return text
}

/** Decodes the payload of openGauss request code 10 for a client that sent protocol minor `minor`. */
export function decodeSha256Request(data: Buffer, minor: number): OpenGaussSha256Request {
  if (data.length < SALT_OFFSET) {
    throw new AuthProtocolError('openGauss authentication request is too short')
  }
  const storedMethod = data.readInt32BE(STORED_METHOD_OFFSET)
  if (storedMethod === StoredMethod.Md5) {
    if (data.length < SALT_OFFSET + MD5_SALT_LENGTH) {
      throw new AuthProtocolError('openGauss md5 request is too short')
    }
    return { storedMethod, md5Salt: Buffer.from(data.subarray(SALT_OFFSET, SALT_OFFSET + MD5_SALT_LENGTH)) }
  }
  if (storedMethod !== StoredMethod.Plain && storedMethod !== StoredMethod.Sha256) {
    throw new AuthProtocolError(`openGauss password stored method ${storedMethod} is not supported (plain, md5 or sha256)`)
  }
  const salt = hex(data, SALT_OFFSET, SALT_HEX_LENGTH, 'salt')
  const token = hex(data, TOKEN_OFFSET, TOKEN_HEX_LENGTH, 'token')
  let iterations = OPENGAUSS_DEFAULT_ITERATIONS
  if (minor > OPENGAUSS_GAUSS_BASE_MINOR) {
    if (data.length < AFTER_TOKEN_OFFSET + 4) {
      throw new AuthProtocolError('openGauss sha256 request lacks its iteration count')
    }
    iterations = data.readInt32BE(AFTER_TOKEN_OFFSET)
    if (iterations <= 0) {
      throw new AuthProtocolError('openGauss sha256 iteration count is invalid')
    }
  } else if (minor < OPENGAUSS_GAUSS_BASE_MINOR) {
    hex(data, AFTER_TOKEN_OFFSET, SERVER_SIGNATURE_HEX_LENGTH, 'server signature')
  }
  return { storedMethod, salt, token, iterations }
}

function keys(password: string, saltHex: string, iterations: number): { serverKey: Buffer; clientKey: Buffer; storedKey: Buffer } {
  const k = pbkdf2Sync(Buffer.from(password, 'utf8'), Buffer.from(saltHex, 'hex'), iterations, KEY_LENGTH, 'sha1')
  // "Sever Key" is misspelt in openGauss's sha2.cpp; the server computes it the same way.
  const serverKey = createHmac('sha256', k).update('Sever Key').digest()
  const clientKey = createHmac('sha256', k).update('Client Key').digest()
  const storedKey = createHash('sha256').update(clientKey).digest()
  return { serverKey, clientKey, storedKey }
}

/** The lowercase-hex proof answering a sha256 request: HMAC(StoredKey, token) XOR ClientKey. */
export function sha256Proof(password: string, saltHex: string, tokenHex: string, iterations: number): string {
  const { clientKey, storedKey } = keys(password, saltHex, iterations)
  const h = createHmac('sha256', storedKey).update(Buffer.from(tokenHex, 'hex')).digest()
  for (let i = 0; i < KEY_LENGTH; i += 1) {
    h[i] = (h[i] as number) ^ (clientKey[i] as number)
  }
  return h.toString('hex')
}

/** Decodes the payload of openGauss request code 11 (md5 requested, sha256 stored). */
export function decodeMd5Sha256Request(data: Buffer): { salt: string; md5Salt: Buffer } {
  const salt = hex(data, 0, SALT_HEX_LENGTH, 'salt')
  if (data.length < SALT_HEX_LENGTH + MD5_SALT_LENGTH) {
    throw new AuthProtocolError('openGauss md5_sha256 request lacks its md5 salt')
  }
  return { salt, md5Salt: Buffer.from(data.subarray(SALT_HEX_LENGTH, SALT_HEX_LENGTH + MD5_SALT_LENGTH)) }
}

/**
 * The reply to md5_sha256: "md5" + md5hex(salt ‖ hex(ServerKey) ‖ hex(StoredKey) ‖ md5salt), i.e. the
 * stored sha256 string without its "sha256" prefix, hashed with the md5 salt (reference §1; the
 * iteration count is the default, as the request carries none).
 */
export function md5Sha256Response(password: string, saltHex: string, md5Salt: Buffer, iterations: number = OPENGAUSS_DEFAULT_ITERATIONS): string {
  const { serverKey, storedKey } = keys(password, saltHex, iterations)
  const composite = `${saltHex}${serverKey.toString('hex')}${storedKey.toString('hex')}`
  return `md5${createHash('md5').update(Buffer.concat([Buffer.from(composite, 'latin1'), md5Salt])).digest('hex')}`
}
