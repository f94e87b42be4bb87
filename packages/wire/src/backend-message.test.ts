import { describe, expect, it } from 'vitest'
import { BackendDecoder, type BackendMessage } from './backend-message.js'
import { ProtocolError } from './errors.js'
import { FrameReader } from './frame-reader.js'
import { cstr, dataRow, frame, int16, rowDescription, splits } from './testing/frames.js'

function decodeAll(chunks: Buffer[]): BackendMessage[] {
  const reader = new FrameReader()
  const decoder = new BackendDecoder()
  const out: BackendMessage[] = []
  for (const chunk of chunks) {
    for (const f of reader.push(chunk)) {
      out.push(decoder.decode(f))
    }
  }
  expect(reader.bufferedLength).toBe(0)
  return out
}

const error = frame('E', 'SFATAL\0', 'C28P01\0', 'Mpassword authentication failed for user "u"\0', 'Dd\0', 'Hh\0', 'Ww\0', 'Ffile.c\0', 'L12\0', 'Rroutine\0', '\0')
const stream = Buffer.concat([
  frame('v', (3 << 16) | 2, 1, cstr('_pq_.x')),
  frame('R', 10, cstr('SCRAM-SHA-256-PLUS'), cstr('SCRAM-SHA-256'), '\0'),
  frame('R', 0),
  frame('S', cstr('server_version'), cstr('16.4')),
  frame('K', 42, 7),
  frame('Z', 'I'),
  rowDescription(['recptr', 'tli']),
  dataRow(['0/2000028', null]),
  frame('C', cstr('SELECT 1')),
  frame('H', Buffer.from([0]), int16(0)),
  frame('d', Buffer.from([1, 2, 3, 0, 255])),
  frame('d'),
  frame('c'),
  frame('W', Buffer.from([0]), int16(0)),
  frame('I'),
  frame('N', 'SINFO\0', 'Mhello\0', '\0'),
  error,
])

describe('FrameReader + BackendDecoder', () => {
  it('decodes every message kind', () => {
    const messages = decodeAll([stream])
    expect(messages.map((message) => message.name)).toEqual([
      'negotiateProtocolVersion', 'authentication', 'authentication', 'parameterStatus', 'backendKeyData', 'readyForQuery',
      'rowDescription', 'dataRow', 'commandComplete', 'copyOutResponse', 'copyData', 'copyData', 'copyDone',
      'copyBothResponse', 'emptyQuery', 'notice', 'error',
    ])
    expect(messages[0]).toEqual({ name: 'negotiateProtocolVersion', newestMinor: 2, unrecognizedOptions: ['_pq_.x'] })
    expect(messages[1]).toMatchObject({ name: 'authentication', request: 10 })
    expect((messages[1] as { data: Buffer }).data.toString()).toBe('SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0')
    expect(messages[6]).toEqual({ name: 'rowDescription', fields: [{ name: 'recptr', dataTypeId: 25 }, { name: 'tli', dataTypeId: 25 }] })
    expect(messages[7]).toEqual({ name: 'dataRow', values: ['0/2000028', null] })
    expect((messages[10] as { data: Buffer }).data).toEqual(Buffer.from([1, 2, 3, 0, 255]))
    expect(messages[16]).toMatchObject({
      name: 'error',
      fields: { severity: 'FATAL', code: '28P01', message: 'password authentication failed for user "u"', detail: 'd', hint: 'h', where: 'w', file: 'file.c', line: '12', routine: 'routine' },
    })
  })

  it('decodes the same messages when the input is split at every byte boundary, and byte by byte', () => {
    const whole = decodeAll([stream])
    for (const chunks of splits(stream)) {
      expect(decodeAll(chunks)).toEqual(whole)
    }
  })

  it('hands out CopyData views that survive later chunks', () => {
    const reader = new FrameReader()
    const first = frame('d', Buffer.alloc(100, 7))
    const [a] = reader.push(Buffer.concat([first, first.subarray(0, 50)]))
    reader.push(first.subarray(50))
    expect(a?.payload).toEqual(Buffer.alloc(100, 7))
  })

  it('throws ProtocolError for an impossible length and for an unknown message type', () => {
    expect(() => new FrameReader().push(Buffer.from([0x64, 0, 0, 0, 2]))).toThrow(ProtocolError)
    expect(() => new FrameReader().push(Buffer.from([0x64, 0x7f, 0xff, 0xff, 0xff]))).toThrow(ProtocolError)
    const [unknown] = new FrameReader().push(frame('?', 'x'))
    expect(() => new BackendDecoder().decode(unknown as never)).toThrow(ProtocolError)
  })

  it('throws ProtocolError for an error or notice without its terminator (pg-protocol would loop forever)', () => {
    for (const bad of [frame('E', 'S'), frame('N', 'S\0'), frame('E', 'SERROR\0Mx'), frame('E'), frame('N', 'SINFO\0\0\0')]) {
      const [f] = new FrameReader().push(bad)
      expect(() => new BackendDecoder().decode(f as never)).toThrow(ProtocolError)
    }
  })

  it('throws ProtocolError for a malformed payload that pg-protocol cannot read', () => {
    const [bad] = new FrameReader().push(frame('T', int16(3)))
    expect(() => new BackendDecoder().decode(bad as never)).toThrow(ProtocolError)
  })
})
