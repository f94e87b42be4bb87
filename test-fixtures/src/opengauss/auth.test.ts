import { describe, expect, it } from 'vitest'
import {
  deriveSha256Secret,
  md5Sha256Response,
  sha256ClientProof,
  sha256ServerSignature,
  sha256StoredString,
  verifySha256Proof,
} from './auth.js'

// Vectors computed independently (Python hashlib/hmac) from the reference's formulas:
// K = PBKDF2-HMAC-SHA1(password, salt, 10000, 32); ServerKey = HMAC(K, "Sever Key"); …
const PASSWORD = 'Tidemark@123'
const SALT = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'
const TOKEN = '0a0b0c0d'
const SERVER_KEY = 'cf5adffb52f6e2d88a73155e2a021cc93d51171e39557becbe53f4dbb13632a4'
const STORED_KEY = '914b4aeacfc97c6fff9bbd79b8339f36f6dec9423f30397426594c74d7c93026'
const PROOF = '240394526c13a2ec4ee4ca3de56542f3b5391d1716b6e0b0d140bb5f177c8f87'
const SIGNATURE = 'fd53627774da164e2ffde494f1be159b3641defc3264cf27afffb3201084ff1d'
const MD5_SHA256 = 'md53a23d5385bb1f1e4d72044bf44a6f79e'

describe('openGauss sha256 authentication', () => {
  const secret = deriveSha256Secret(PASSWORD, SALT, 10000)

  it('derives the server and stored keys with the misspelt "Sever Key" label', () => {
    expect(secret.serverKey.toString('hex')).toBe(SERVER_KEY)
    expect(secret.storedKey.toString('hex')).toBe(STORED_KEY)
    expect(sha256StoredString(secret)).toBe(`sha256${SALT}${SERVER_KEY}${STORED_KEY}`)
  })

  it('computes the client proof H and the server signature', () => {
    expect(sha256ClientProof(PASSWORD, SALT, TOKEN, 10000)).toBe(PROOF)
    expect(sha256ServerSignature(secret, TOKEN)).toBe(SIGNATURE)
  })

  it('accepts the right proof and refuses a wrong password, another token, or upper-case hex', () => {
    expect(verifySha256Proof(secret, TOKEN, PROOF)).toBe(true)
    expect(verifySha256Proof(secret, TOKEN, sha256ClientProof('wrong', SALT, TOKEN, 10000))).toBe(false)
    expect(verifySha256Proof(secret, '01020304', PROOF)).toBe(false)
    expect(verifySha256Proof(secret, TOKEN, PROOF.toUpperCase())).toBe(false)
    expect(verifySha256Proof(secret, TOKEN, PROOF.slice(2))).toBe(false)
  })

  it('refuses a proof computed with another iteration count', () => {
    expect(verifySha256Proof(secret, TOKEN, sha256ClientProof(PASSWORD, SALT, TOKEN, 2048))).toBe(false)
  })

  it('computes the md5_sha256 answer from the stored string and the md5 salt', () => {
    expect(md5Sha256Response(PASSWORD, SALT, Buffer.from([1, 2, 3, 4]), 10000)).toBe(MD5_SHA256)
  })
})
