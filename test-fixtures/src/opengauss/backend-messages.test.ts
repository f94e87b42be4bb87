import { describe, expect, it } from 'vitest'
import {
  authenticationMd5Sha256,
  authenticationSha256,
  dataRow,
  errorResponse,
  int8Field,
  oidField,
  rowDescription,
  textField,
} from './backend-messages.js'

const SALT = 'ab'.repeat(32)
const SIGNATURE = 'cd'.repeat(32)
const input = { saltHex: SALT, tokenHex: '0a0b0c0d', serverSignatureHex: SIGNATURE, iterations: 10000 }

describe('authentication request code 10', () => {
  it('carries the iteration count to protocol 3.51', () => {
    const message = authenticationSha256({ ...input, protocolMinor: 51 })
    expect(message[0]).toBe(0x52)
    expect(message.readUInt32BE(1)).toBe(4 + 4 + 4 + 64 + 8 + 4)
    expect(message.readInt32BE(5)).toBe(10)
    expect(message.readInt32BE(9)).toBe(2)
    expect(message.toString('latin1', 13, 77)).toBe(SALT)
    expect(message.toString('latin1', 77, 85)).toBe('0a0b0c0d')
    expect(message.readInt32BE(85)).toBe(10000)
    expect(message.length).toBe(89)
  })

  it('carries neither signature nor iterations to 3.50', () => {
    expect(authenticationSha256({ ...input, protocolMinor: 50 }).length).toBe(85)
  })

  it('carries the server signature to 3.0', () => {
    const message = authenticationSha256({ ...input, protocolMinor: 0 })
    expect(message.length).toBe(85 + 64)
    expect(message.toString('latin1', 85)).toBe(SIGNATURE)
  })
})

describe('authentication request code 11', () => {
  it('is the 64-hex sha256 salt and the 4-byte md5 salt, nothing else', () => {
    const message = authenticationMd5Sha256(SALT, Buffer.from([9, 8, 7, 6]))
    expect(message.readUInt32BE(1)).toBe(4 + 4 + 64 + 4)
    expect(message.readInt32BE(5)).toBe(11)
    expect(message.toString('latin1', 9, 73)).toBe(SALT)
    expect([...message.subarray(73)]).toEqual([9, 8, 7, 6])
  })
})

describe('result sets', () => {
  it('describes the tablespace header as the walsender does', () => {
    const message = rowDescription([oidField('spcoid'), textField('spclocation'), int8Field('size'), int8Field('relative')])
    const expected = Buffer.concat([
      Buffer.from([0x54, 0, 0, 0, 0]),
      Buffer.from([0, 4]),
      Buffer.from('spcoid\0'),
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 26, 0, 4, 0, 0, 0, 0, 0, 0]),
      Buffer.from('spclocation\0'),
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 25, 0xff, 0xff, 0, 0, 0, 0, 0, 0]),
      Buffer.from('size\0'),
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 8, 0, 0, 0, 0, 0, 0]),
      Buffer.from('relative\0'),
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 8, 0, 0, 0, 0, 0, 0]),
    ])
    expected.writeUInt32BE(expected.length - 1, 1)
    expect(message.equals(expected)).toBe(true)
  })

  it('sends NULL as length -1', () => {
    const message = dataRow([null, 'ab'])
    expect(message.subarray(5).toString('hex')).toBe('0002' + 'ffffffff' + '00000002' + '6162')
  })
})

describe('errorResponse', () => {
  it('writes S, C, M, then F and R, NUL-terminated', () => {
    const message = errorResponse({ severity: 'FATAL', code: '28P01', message: 'm', file: 'auth.cpp', routine: 'auth_failed' })
    expect(message.subarray(5).toString('latin1')).toBe('SFATAL\0C28P01\0Mm\0Fauth.cpp\0Rauth_failed\0\0')
  })
})
