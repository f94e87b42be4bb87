// StorageWalRepository on a real Ceph RADOS Gateway, with both create-only protocols of the S3 driver
// (If-None-Match: * and the claim fallback): racing writers of one name store it once and every
// loser is told 'exists'; racing first pushes agree on one identity; pushWal then refuses the
// conflicting content with both checksums and keeps the original; list pages through more keys
// than one page holds.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { S3Storage } from '@tidemark/storage/s3'
import { s3ServerAvailableOrWarn, startS3Server, type S3Server } from '@tidemark/test-fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pushWal } from './push-wal.js'
import { StorageWalRepository } from './storage-repository.js'
import { fixtureSegment, FULL_SEGMENT_NAME } from './testing/fixtures.js'
import { tempDir } from './testing/temp-dir.js'

const available = s3ServerAvailableOrWarn()

let server: S3Server | undefined
let buckets = 0

beforeAll(async () => {
  if (available) {
    server = await startS3Server()
  }
})
afterAll(async () => {
  await server?.stop()
})

async function repositories(createOnly: 'auto' | 'claims', count: number): Promise<StorageWalRepository[]> {
  const s3 = server
  if (!s3) {
    throw new Error('the S3 server did not start')
  }
  const bucket = `wal-race-${++buckets}`
  await s3.createBucket(bucket)
  return Array.from({ length: count }, () =>
    new StorageWalRepository(
      new S3Storage(bucket, 'db1', { endpoint: s3.endpoint, credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey }, env: {}, createOnly })
    )
  )
}

describe.skipIf(!available)('StorageWalRepository on Ceph RGW', () => {
  for (const createOnly of ['auto', 'claims'] as const) {
    it(`stores a name once among racing writers and refuses a conflicting push (create-only: ${createOnly})`, async () => {
      const repos = await repositories(createOnly, 4)
      const identities = await Promise.all(repos.map((repo, i) => repo.bindIdentity({ systemIdentifier: String(1000 + i), segmentSize: 1024 * 1024 })))
      expect(new Set(identities.map((identity) => identity.systemIdentifier)).size).toBe(1)

      const name = '000000010000000000000007'
      const outcomes = await Promise.all(
        repos.map((repo, i) => repo.putIfAbsent(name, { sha256: String(i).repeat(64), size: 1, compression: 'none' }, Buffer.from(String(i))))
      )
      expect(outcomes.filter((outcome) => outcome === 'stored')).toHaveLength(1)
      const winner = outcomes.indexOf('stored')
      for (const repo of repos) {
        expect((await repo.read(name))?.payload.toString()).toBe(String(winner))
      }

      // pushWal of a real segment, in a fresh bucket (the one above is bound to a made-up system).
      const [repo] = await repositories(createOnly, 1)
      if (!repo) {
        throw new Error('no repository')
      }
      const dir = tempDir()
      const segment = fixtureSegment(FULL_SEGMENT_NAME)
      writeFileSync(join(dir, 'a'), segment)
      const changed = Buffer.from(segment)
      changed.writeUInt8(changed.readUInt8(segment.length - 1) ^ 0xff, segment.length - 1)
      writeFileSync(join(dir, 'b'), changed)
      const stored = await pushWal({ repository: repo, sourcePath: join(dir, 'a'), fileName: FULL_SEGMENT_NAME, compression: { method: 'gzip', level: 1 } })
      expect(stored.outcome).toBe('stored')
      const refused = pushWal({ repository: repo, sourcePath: join(dir, 'b'), fileName: FULL_SEGMENT_NAME })
      await expect(refused).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WAL_CONFLICT', exitCode: 3 })
      await expect(refused).rejects.toThrow(stored.sha256)
      expect((await repo.head(FULL_SEGMENT_NAME))?.sha256).toBe(stored.sha256)
      expect(await repo.list()).toEqual([FULL_SEGMENT_NAME])
      await repo.close()
      await Promise.all(repos.map((r) => r.close()))
    })
  }

  it('lists every archived name across pages and answers undefined for a missing one', async () => {
    const [repo] = await repositories('auto', 1)
    if (!repo) {
      throw new Error('no repository')
    }
    const names = Array.from({ length: 1100 }, (_, i) => `0000000100000000000${(0x100 + i).toString(16).toUpperCase().padStart(5, '0')}`)
    for (let start = 0; start < names.length; start += 50) {
      await Promise.all(names.slice(start, start + 50).map((name) => repo.putIfAbsent(name, { sha256: '0'.repeat(64), size: 1, compression: 'none' }, Buffer.from('x'))))
    }
    expect(await repo.list()).toEqual([...names].sort())
    expect(await repo.head('0000000100000000000FFFFF')).toBeUndefined()
    expect(await repo.read('0000000100000000000FFFFF')).toBeUndefined()
    await repo.close()
  })
})
