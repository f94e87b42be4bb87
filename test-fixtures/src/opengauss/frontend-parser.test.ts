import { describe, expect, it } from 'vitest'
import { OG_PROTOCOL_3_51, SSL_REQUEST_CODE } from './constants.js'
import { FrontendParser, bodyCString } from './frontend-parser.js'
import type { FrontendMessage } from './frontend-parser.js'

function startupPacket(parameters: Record<string, string>, protocol: number): Buffer {
  const body = Buffer.from(`${Object.entries(parameters).flat().join('\0')}\0\0`)
  const packet = Buffer.alloc(8 + body.length)
  packet.writeUInt32BE(packet.length, 0)
  packet.writeUInt32BE(protocol, 4)
  body.copy(packet, 8)
  return packet
}

function typed(code: string, body: Buffer): Buffer {
  const out = Buffer.alloc(5 + body.length)
  out.write(code, 0, 'latin1')
  out.writeUInt32BE(4 + body.length, 1)
  body.copy(out, 5)
  return out
}

const ssl = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])
const stream = Buffer.concat([
  ssl,
  startupPacket({ user: 'repl', replication: 'true', application_name: 'gs_basebackup' }, OG_PROTOCOL_3_51),
  typed('p', Buffer.from('ab'.repeat(32) + '\0')),
  typed('Q', Buffer.from('IDENTIFY_SYSTEM\0')),
  typed('d', Buffer.alloc(65, 0x72)),
  typed('X', Buffer.alloc(0)),
])

function summary(messages: FrontendMessage[]): string[] {
  return messages.map((m) => (m.name === 'typed' ? `${m.code}:${m.body.length}` : m.name))
}

const expected = ['sslRequest', 'startup', 'p:65', 'Q:16', 'd:65', 'X:0']

describe('FrontendParser', () => {
  it('reads a startup packet, then typed messages', () => {
    const parser = new FrontendParser()
    const messages = parser.parse(stream)
    expect(summary(messages)).toEqual(expected)
    const startup = messages[1]
    expect(startup?.name === 'startup' && startup.protocol).toBe(OG_PROTOCOL_3_51)
    expect(startup?.name === 'startup' && startup.parameters).toEqual({
      user: 'repl',
      replication: 'true',
      application_name: 'gs_basebackup',
    })
    const query = messages[3]
    expect(query?.name === 'typed' && bodyCString(query.body)).toBe('IDENTIFY_SYSTEM')
    expect(SSL_REQUEST_CODE).toBe(80877103)
  })

  it('gives the same messages when the input is split at every byte', () => {
    for (let cut = 1; cut < stream.length; cut += 1) {
      const parser = new FrontendParser()
      const messages = [...parser.parse(stream.subarray(0, cut)), ...parser.parse(stream.subarray(cut))]
      expect(summary(messages)).toEqual(expected)
    }
  })

  it('gives the same messages when fed one byte at a time', () => {
    const parser = new FrontendParser()
    const messages: FrontendMessage[] = []
    for (const byte of stream) {
      messages.push(...parser.parse(Buffer.from([byte])))
    }
    expect(summary(messages)).toEqual(expected)
  })

  it('throws on an impossible length', () => {
    expect(() => new FrontendParser().parse(Buffer.from([0, 0, 0, 2, 0, 0, 0, 0]))).toThrow(/length/)
  })
})
