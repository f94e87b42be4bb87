import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { X509Certificate } from 'node:crypto'
import { md5Sha256Response as simulatorMd5Sha256, sha256ClientProof, deriveSha256Secret, verifySha256Proof } from '@tidemark/test-fixtures'
import { describe, expect, it } from 'vitest'
import { AuthProtocolError } from '../errors.js'
import { certificateSignatureOid, tlsServerEndPoint } from './channel-binding.js'
import { md5PasswordResponse } from './md5.js'
import { decodeMd5Sha256Request, decodeSha256Request, md5Sha256Response, sha256Proof } from './opengauss-sha256.js'
import { scramContinue, scramFinish, scramStart } from './scram.js'

describe('SCRAM-SHA-256', () => {
  // RFC 7677 §3 test vector.
  const nonce = 'rOprNGfwEbeRWgbNEkqO'
  const serverFirst = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'

  it('computes the RFC 7677 client proof and accepts the server signature', () => {
    const start = scramStart({ tlsInUse: false, nonce, user: 'user' })
    expect(start.clientFirst).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO')
    const next = scramContinue(start.state, serverFirst, 'pencil')
    expect(next.clientFinal).toBe('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=')
    expect(() => scramFinish(next, 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')).not.toThrow()
  })

  it('refuses a wrong server signature, a server error, a foreign nonce and malformed messages', () => {
    const start = scramStart({ tlsInUse: false, nonce, user: 'user' })
    const next = scramContinue(start.state, serverFirst, 'pencil')
    expect(() => scramFinish(next, 'v=AAAA')).toThrow(AuthProtocolError)
    expect(() => scramFinish(next, 'e=invalid-proof')).toThrow(/invalid-proof/)
    expect(() => scramContinue(start.state, 'r=other,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096', 'pencil')).toThrow(AuthProtocolError)
    expect(() => scramContinue(start.state, 'garbage', 'pencil')).toThrow(AuthProtocolError)
    expect(() => scramContinue(start.state, `r=${nonce}x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0`, 'pencil')).toThrow(AuthProtocolError)
  })

  it('binds the channel with the p= header and the certificate hash, or flags y without binding', () => {
    const binding = Buffer.alloc(32, 1)
    const plus = scramStart({ tlsInUse: true, channelBinding: binding, nonce })
    expect(plus.mechanism).toBe('SCRAM-SHA-256-PLUS')
    expect(plus.clientFirst.startsWith('p=tls-server-end-point,,n=,r=')).toBe(true)
    const next = scramContinue(plus.state, `r=${nonce}srv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=16`, 'pw')
    const c = /c=([^,]+)/.exec(next.clientFinal)?.[1] ?? ''
    expect(Buffer.from(c, 'base64')).toEqual(Buffer.concat([Buffer.from('p=tls-server-end-point,,'), binding]))
    expect(scramStart({ tlsInUse: true, nonce }).clientFirst.startsWith('y,,')).toBe(true)
  })
})

describe('md5', () => {
  it('answers md5(md5(password + user) + salt)', () => {
    const salt = Buffer.from([1, 2, 3, 4])
    const inner = createHash('md5').update('secretpostgres').digest('hex')
    const expected = `md5${createHash('md5').update(Buffer.concat([Buffer.from(inner), salt])).digest('hex')}`
    expect(md5PasswordResponse('postgres', 'secret', salt)).toBe(expected)
  })
})

describe('openGauss sha256 and md5_sha256', () => {
  const salt = 'a1'.repeat(32)
  const token = '0badf00d'

  function request(minor: number): Buffer {
    const parts = [Buffer.from([0, 0, 0, 2]), Buffer.from(salt + token, 'latin1')]
    if (minor > 50) {
      const iterations = Buffer.alloc(4)
      iterations.writeInt32BE(10000)
      parts.push(iterations)
    } else if (minor < 50) {
      parts.push(Buffer.from('c'.repeat(64)))
    }
    return Buffer.concat(parts)
  }

  it('decodes the code-10 payload for protocol 3.51, 3.50 and 3.0', () => {
    expect(decodeSha256Request(request(51), 51)).toEqual({ storedMethod: 2, salt, token, iterations: 10000 })
    expect(decodeSha256Request(request(50), 50)).toEqual({ storedMethod: 2, salt, token, iterations: 10000 })
    expect(decodeSha256Request(request(0), 0)).toEqual({ storedMethod: 2, salt, token, iterations: 10000 })
    expect(() => decodeSha256Request(request(51).subarray(0, 70), 51)).toThrow(AuthProtocolError)
    expect(() => decodeSha256Request(Buffer.concat([Buffer.from([0, 0, 0, 2]), Buffer.from('z'.repeat(72))]), 50)).toThrow(AuthProtocolError)
  })

  it('decodes an md5-stored request (method 1) as a 4-byte md5 salt and refuses unknown methods', () => {
    expect(decodeSha256Request(Buffer.from([0, 0, 0, 1, 9, 8, 7, 6]), 51)).toEqual({ storedMethod: 1, md5Salt: Buffer.from([9, 8, 7, 6]) })
    expect(() => decodeSha256Request(Buffer.from([0, 0, 0, 3, 0, 0, 0, 0]), 51)).toThrow(AuthProtocolError)
  })

  it('computes the proof the simulator (written independently from the reference) accepts', () => {
    const proof = sha256Proof('Tidemark@123', salt, token, 10000)
    expect(proof).toMatch(/^[0-9a-f]{64}$/)
    expect(proof).toBe(sha256ClientProof('Tidemark@123', salt, token, 10000))
    expect(verifySha256Proof(deriveSha256Secret('Tidemark@123', salt, 10000), token, proof)).toBe(true)
    expect(verifySha256Proof(deriveSha256Secret('Tidemark@124', salt, 10000), token, proof)).toBe(false)
  })

  it('answers md5_sha256 as the simulator expects', () => {
    const md5Salt = Buffer.from([9, 8, 7, 6])
    const decoded = decodeMd5Sha256Request(Buffer.concat([Buffer.from(salt, 'latin1'), md5Salt]))
    expect(decoded).toEqual({ salt, md5Salt })
    expect(md5Sha256Response('Tidemark@123', salt, md5Salt)).toBe(simulatorMd5Sha256('Tidemark@123', salt, md5Salt, 10000))
  })
})

describe('tls-server-end-point channel binding', () => {
  function makeCert(args: string[]): Buffer {
    const dir = mkdtempSync(join(tmpdir(), 'wire-cert-'))
    try {
      execFileSync('openssl', ['req', '-x509', '-nodes', '-days', '1', '-subj', '/CN=t', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), ...args], { stdio: 'pipe' })
      return new X509Certificate(readFileSync(join(dir, 'c'))).raw
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  it('hashes an RSA/SHA-256 certificate with SHA-256 and an ECDSA/SHA-384 one with SHA-384', () => {
    const rsa = makeCert(['-newkey', 'rsa:2048', '-sha256'])
    expect(certificateSignatureOid(rsa)).toBe('1.2.840.113549.1.1.11')
    expect(tlsServerEndPoint(rsa)).toEqual(createHash('sha256').update(rsa).digest())
    const ec = makeCert(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-sha384'])
    expect(certificateSignatureOid(ec)).toBe('1.2.840.10045.4.3.3')
    expect(tlsServerEndPoint(ec)).toEqual(createHash('sha384').update(ec).digest())
  })

  it('refuses bytes that are not a certificate with a typed error', () => {
    expect(() => tlsServerEndPoint(Buffer.from([0x30, 0x82, 0xff]))).toThrow(/DER/)
  })
})
