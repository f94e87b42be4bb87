// tls-server-end-point channel binding data (RFC 5929 §4.1): the hash of the server certificate
// with the certificate's own signature hash, SHA-256 when that is MD5 or SHA-1. The signature
// algorithm is read from the certificate's DER with a tiny walker (Node does not expose it).
import { createHash } from 'node:crypto'
import { ChannelBindingError } from '../errors.js'

const DER_SEQUENCE = 0x30
const DER_OID = 0x06
const LONG_LENGTH_FLAG = 0x80

/** Signature-algorithm OIDs → the hash PostgreSQL uses for channel binding. */
const HASH_BY_OID: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.4': 'sha256', // md5WithRSAEncryption → SHA-256
  '1.2.840.113549.1.1.5': 'sha256', // sha1WithRSAEncryption → SHA-256
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.10045.4.1': 'sha256', // ecdsa-with-SHA1 → SHA-256
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
}

interface Tlv {
  readonly tag: number
  readonly start: number
  readonly end: number
}

function readTlv(der: Buffer, offset: number): Tlv {
  const tag = der[offset]
  const first = der[offset + 1]
  if (tag === undefined || first === undefined) {
    throw new ChannelBindingError('the server certificate is not valid DER')
  }
  let length = first
  let start = offset + 2
  if (first & LONG_LENGTH_FLAG) {
    const bytes = first & ~LONG_LENGTH_FLAG
    if (bytes === 0 || bytes > 4 || start + bytes > der.length) {
      throw new ChannelBindingError('the server certificate is not valid DER')
    }
    length = der.readUIntBE(start, bytes)
    start += bytes
  }
  if (start + length > der.length) {
    throw new ChannelBindingError('the server certificate is not valid DER')
  }
  return { tag, start, end: start + length }
}

function decodeOid(bytes: Buffer): string {
  const first = bytes[0] ?? 0
  const parts = [Math.floor(first / 40), first % 40]
  let value = 0
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f)
    if (!(byte & 0x80)) {
      parts.push(value)
      value = 0
    }
  }
  return parts.join('.')
}

/** The OID of a DER certificate's signatureAlgorithm. */
export function certificateSignatureOid(der: Buffer): string {
  const certificate = readTlv(der, 0)
  const tbs = readTlv(der, certificate.start)
  const algorithm = readTlv(der, tbs.end)
  const oid = readTlv(der, algorithm.start)
  if (certificate.tag !== DER_SEQUENCE || tbs.tag !== DER_SEQUENCE || algorithm.tag !== DER_SEQUENCE || oid.tag !== DER_OID) {
    throw new ChannelBindingError('the server certificate is not an X.509 certificate')
  }
  return decodeOid(der.subarray(oid.start, oid.end))
}

/** The channel binding data for SCRAM-SHA-256-PLUS from the server certificate's DER. */
export function tlsServerEndPoint(der: Buffer): Buffer {
  const oid = certificateSignatureOid(der)
  const hash = HASH_BY_OID[oid]
  if (hash === undefined) {
    throw new ChannelBindingError(`channel binding is not possible with the server certificate's signature algorithm ${oid}`)
  }
  return createHash(hash).update(der).digest()
}
