// Random and mutated server bytes must only ever produce typed errors, never a crash of another kind.
import { describe, expect, it } from 'vitest'
import { decodeMd5Sha256Request, decodeSha256Request } from './auth/opengauss-sha256.js'
import { BackendDecoder } from './backend-message.js'
import { AuthProtocolError, ProtocolError } from './errors.js'
import { FrameReader } from './frame-reader.js'
import { decodeCopyStreamMessage } from './replication/copy-stream-message.js'
import { decodeOpenGaussReplicationMessage } from './replication/opengauss-xlog-message.js'
import { decodeReplicationMessage } from './replication/xlog-message.js'
import { cstr, dataRow, frame, int16, prng, rowDescription, splits } from './testing/frames.js'

const CODES = 'RvSKZTDCIGHWdcENA?x'
const seeds = Buffer.concat([
  frame('R', 10, cstr('SCRAM-SHA-256'), '\0'),
  frame('S', cstr('server_version'), cstr('16.4')),
  rowDescription(['recptr', 'tli']),
  dataRow(['0/1', '1']),
  frame('C', cstr('SELECT')),
  frame('E', 'SERROR\0', 'C42601\0', 'Mx\0', '\0'),
  frame('N', 'SINFO\0', 'Mx\0', '\0'),
  frame('H', Buffer.from([0]), int16(0)),
  frame('v', 0, 0),
  frame('Z', 'I'),
])

function typed(error: unknown): boolean {
  return error instanceof ProtocolError || error instanceof AuthProtocolError
}

function run(bytes: Buffer[]): void {
  const reader = new FrameReader()
  const decoder = new BackendDecoder()
  for (const chunk of bytes) {
    for (const f of reader.push(chunk)) {
      decoder.decode(f)
    }
  }
}

function expectTypedOrOk(fn: () => unknown): void {
  try {
    fn()
  } catch (error) {
    expect(typed(error), String(error)).toBe(true)
  }
}

describe('fuzzed server input', () => {
  const random = prng(20261124)
  const int = (n: number): number => Math.floor(random() * n)

  it('frames with random codes and payloads decode or throw ProtocolError', () => {
    for (let i = 0; i < 3000; i += 1) {
      const payload = Buffer.from(Array.from({ length: int(40) }, () => int(256)))
      const bytes = frame(CODES[int(CODES.length)] as string, payload)
      expectTypedOrOk(() => run([bytes]))
    }
  })

  it('mutated valid streams decode or throw ProtocolError, split anywhere', () => {
    for (let i = 0; i < 400; i += 1) {
      const mutated = Buffer.from(seeds)
      for (let m = 0; m < 1 + int(4); m += 1) {
        mutated[int(mutated.length)] = int(256)
      }
      const all = splits(mutated)
      const chunks = all[int(all.length)] as Buffer[]
      expectTypedOrOk(() => run(chunks))
    }
  })

  it('random replication, copy-stream and openGauss auth payloads decode or throw typed errors', () => {
    const decoders: Array<(payload: Buffer) => unknown> = [
      decodeReplicationMessage,
      decodeOpenGaussReplicationMessage,
      decodeCopyStreamMessage,
      (payload) => decodeSha256Request(payload, 51),
      (payload) => decodeSha256Request(payload, 0),
      decodeMd5Sha256Request,
    ]
    const prefixes = [0x77, 0x6b, 0x6e, 0x64, 0x70, 0x6d, 0]
    for (let i = 0; i < 5000; i += 1) {
      const payload = Buffer.from(Array.from({ length: int(100) }, () => int(256)))
      if (payload.length > 0) {
        payload[0] = prefixes[int(prefixes.length)] as number
      }
      for (const decode of decoders) {
        expectTypedOrOk(() => decode(payload))
      }
    }
  })
})
