// openGauss's password exchanges (sha2.cpp, fe-auth.cpp, auth.cpp), both sides: the simulator
// verifies with the server half; other packages' tests can use the client half for expected bytes.
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto'
import { OG_CLIENT_KEY_LABEL, OG_SERVER_KEY_LABEL } from './constants.js'

/** What `pg_sha256_encrypt` derives from a password, salt and iteration count. */
export interface Sha256Secret {
  readonly saltHex: string
  readonly clientKey: Buffer
  readonly serverKey: Buffer
  readonly storedKey: Buffer
}

const K_LENGTH = 32

/** K = PBKDF2-HMAC-SHA1(password, hexdecode(salt), iterations, 32); the keys are HMAC-SHA256 of K. */
export function deriveSha256Secret(password: string, saltHex: string, iterations: number): Sha256Secret {
  const k = pbkdf2Sync(Buffer.from(password, 'utf8'), Buffer.from(saltHex, 'hex'), iterations, K_LENGTH, 'sha1')
  const serverKey = createHmac('sha256', k).update(OG_SERVER_KEY_LABEL, 'latin1').digest()
  const clientKey = createHmac('sha256', k).update(OG_CLIENT_KEY_LABEL, 'latin1').digest()
  const storedKey = createHash('sha256').update(clientKey).digest()
  return { saltHex: saltHex.toLowerCase(), clientKey, serverKey, storedKey }
}

/** The stored form `sha256<salt hex><server key hex><stored key hex>` (6 + 3 × 64 characters). */
export function sha256StoredString(secret: Sha256Secret): string {
  return `sha256${secret.saltHex}${secret.serverKey.toString('hex')}${secret.storedKey.toString('hex')}`
}

/** The server signature HMAC-SHA256(ServerKey, token bytes), lowercase hex; sent to protocol minors < 50. */
export function sha256ServerSignature(secret: Sha256Secret, tokenHex: string): string {
  return createHmac('sha256', secret.serverKey).update(Buffer.from(tokenHex, 'hex')).digest('hex')
}

/** The client's proof H = HMAC-SHA256(StoredKey, token) XOR ClientKey, as lowercase hex (what `p` carries). */
export function sha256ClientProof(password: string, saltHex: string, tokenHex: string, iterations: number): string {
  const secret = deriveSha256Secret(password, saltHex, iterations)
  const mask = createHmac('sha256', secret.storedKey).update(Buffer.from(tokenHex, 'hex')).digest()
  const proof = Buffer.alloc(mask.length)
  for (let i = 0; i < mask.length; i += 1) {
    proof[i] = (mask[i] ?? 0) ^ (secret.clientKey[i] ?? 0)
  }
  return proof.toString('hex')
}

/**
 * Server side: ClientKey' = H XOR HMAC(StoredKey, token); accepted when SHA256(ClientKey') = StoredKey.
 * Only 64 lowercase hex characters decode, as in the server's `sha_hex_to_bytes32`.
 */
export function verifySha256Proof(secret: Sha256Secret, tokenHex: string, proofHex: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(proofHex)) {
    return false
  }
  const proof = Buffer.from(proofHex, 'hex')
  const mask = createHmac('sha256', secret.storedKey).update(Buffer.from(tokenHex, 'hex')).digest()
  const clientKey = Buffer.alloc(mask.length)
  for (let i = 0; i < mask.length; i += 1) {
    clientKey[i] = (mask[i] ?? 0) ^ (proof[i] ?? 0)
  }
  return timingSafeEqual(createHash('sha256').update(clientKey).digest(), secret.storedKey)
}

/** The md5_sha256 (code 11) answer: `"md5" + md5hex(storedString[6:] ‖ md5Salt)`. */
export function md5Sha256Response(password: string, saltHex: string, md5Salt: Buffer, iterations: number): string {
  const stored = sha256StoredString(deriveSha256Secret(password, saltHex, iterations))
  const digest = createHash('md5')
    .update(Buffer.from(stored.slice('sha256'.length), 'latin1'))
    .update(md5Salt)
    .digest('hex')
  return `md5${digest}`
}
