import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../errors.js'
import { decodeCopyStreamMessage } from './copy-stream-message.js'

describe('PostgreSQL 15+ BASE_BACKUP copy-stream messages', () => {
  it('decodes new-archive, data, progress and manifest', () => {
    expect(decodeCopyStreamMessage(Buffer.from('nbase.tar\0\0'))).toEqual({ type: 'newArchive', name: 'base.tar', location: '' })
    expect(decodeCopyStreamMessage(Buffer.from('n16384.tar.gz\0/srv/ts\0'))).toEqual({ type: 'newArchive', name: '16384.tar.gz', location: '/srv/ts' })
    expect(decodeCopyStreamMessage(Buffer.from('dxyz'))).toEqual({ type: 'data', data: Buffer.from('xyz') })
    const progress = Buffer.alloc(9)
    progress[0] = 0x70
    progress.writeBigInt64BE(123456789n, 1)
    expect(decodeCopyStreamMessage(progress)).toEqual({ type: 'progress', bytes: 123456789 })
    expect(decodeCopyStreamMessage(Buffer.from('m'))).toEqual({ type: 'manifest' })
  })

  it('rejects malformed messages with ProtocolError', () => {
    for (const bad of ['nbase.tar', 'n\0\0', 'p1234', 'x', '']) {
      expect(() => decodeCopyStreamMessage(Buffer.from(bad))).toThrow(ProtocolError)
    }
  })
})
