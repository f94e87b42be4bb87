import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isProcessAlive } from '../run-dir.js'
import { s3ServerAvailable, s3ServerUnavailableMessage } from './ceph-install.js'
import { startS3Server } from './ceph-s3-server.js'
import { sweepS3Servers } from './ceph-sweep.js'
import { signedHeaders } from './sigv4.js'

const available = s3ServerAvailable()
if (!available) {
  console.warn(s3ServerUnavailableMessage())
}

function pids(dir: string): number[] {
  return ['mon', 'osd', 'rgw'].map((n) => Number(readFileSync(join(dir, 'run', `${n}.pid`), 'utf8')))
}

describe.skipIf(!available)('startS3Server (Ceph RGW)', () => {
  it('serves S3 with its credentials, creates buckets, and stop() ends every daemon and removes its files', async () => {
    const started = Date.now()
    const server = await startS3Server()
    const startMs = Date.now() - started
    console.info(`ceph-s3: started in ${startMs} ms at ${server.endpoint}`)
    const daemons = pids(server.dir)
    try {
      expect(daemons.every(isProcessAlive)).toBe(true)
      await server.createBucket('fixture-bucket')
      await server.createBucket('fixture-bucket')
      const list = await fetch(new URL('/fixture-bucket', server.endpoint), {
        headers: signedHeaders({ method: 'GET', endpoint: server.endpoint, path: '/fixture-bucket', region: server.region,
          accessKey: server.accessKey, secretKey: server.secretKey }),
      })
      expect(list.status).toBe(200)
      expect(await list.text()).toContain('<Name>fixture-bucket</Name>')
      const wrongKey = await fetch(new URL('/fixture-bucket', server.endpoint), {
        headers: signedHeaders({ method: 'GET', endpoint: server.endpoint, path: '/fixture-bucket', region: server.region,
          accessKey: server.accessKey, secretKey: 'wrong' }),
      })
      expect(wrongKey.status).toBe(403)
    } finally {
      await server.stop()
    }
    expect(daemons.some(isProcessAlive)).toBe(false)
    expect(existsSync(server.dir)).toBe(false)
    await server.stop()
  })

  it('leaves nothing running after the sweep when a test forgets stop()', async () => {
    const server = await startS3Server()
    const daemons = pids(server.dir)
    expect(await sweepS3Servers(join(server.dir, '..'))).toBe(3)
    expect(daemons.some(isProcessAlive)).toBe(false)
    await server.stop()
  })
})
