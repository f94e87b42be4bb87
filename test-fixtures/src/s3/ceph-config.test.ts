import { describe, expect, it } from 'vitest'
import { cephConfig } from './ceph-config.js'
import { signedHeaders } from './sigv4.js'

describe('cephConfig', () => {
  const conf = cephConfig({ fsid: 'f-1', dir: '/tmp/x', monPort: 40001, rgwPort: 40002, memstoreBytes: 1 << 30 })

  it('keeps the cluster on loopback, inside its directory, without cephx', () => {
    expect(conf).toContain('mon host = v1:127.0.0.1:40001')
    expect(conf).toContain('rgw frontends = beast endpoint=127.0.0.1:40002')
    expect(conf).toContain('auth cluster required = none')
    for (const line of conf.split('\n').filter((l) => / (dir|data|file) = /.test(l))) {
      expect(line, line).toMatch(/= \/tmp\/x\//)
    }
  })

  it('has the settings that make it start fast and reliably', () => {
    expect(conf).toContain('paxos propose interval = 0.05')
    expect(conf).toContain('osd crush update on start = false')
    expect(conf).toContain('osd class update on start = false')
    expect(conf).toContain('osd objectstore = memstore')
    expect(conf).toContain(`memstore device bytes = ${1 << 30}`)
  })
})

describe('signedHeaders', () => {
  it('signs host, payload hash and date with AWS4-HMAC-SHA256, deterministically', () => {
    const input = { method: 'PUT', endpoint: 'http://127.0.0.1:7480', path: '/b', region: 'us-east-1', accessKey: 'AK', secretKey: 'SK', now: new Date('2026-01-02T03:04:05.678Z') }
    const headers = signedHeaders(input)
    expect(headers['x-amz-date']).toBe('20260102T030405Z')
    expect(headers.host).toBe('127.0.0.1:7480')
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AK\/20260102\/us-east-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/)
    expect(signedHeaders(input).authorization).toBe(headers.authorization)
    expect(signedHeaders({ ...input, secretKey: 'other' }).authorization).not.toBe(headers.authorization)
  })
})
