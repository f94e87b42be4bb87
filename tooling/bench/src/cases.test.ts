import { describe, expect, it } from 'vitest'
import { benchCases, roundOrder } from './cases.js'

const cases = benchCases({
  paths: { tidemark: '/b/tidemark', 'tidemark-wal': '/b/tidemark-wal', pg_basebackup: '/pg/pg_basebackup', pgbackrest: '/usr/bin/pgbackrest', dd: '/usr/bin/dd', cp: '/usr/bin/cp', node: '/usr/bin/node' },
  port: 5433,
  pgbackrestConfig: '/s/pgbackrest.conf',
  prefetch: 8,
})
const byId = new Map(cases.map((c) => [c.id, c]))

describe('benchCases', () => {
  it('gives every case a unique id', () => {
    expect(byId.size).toBe(cases.length)
  })

  it('pairs each tidemark case with an existing peer of the same group', () => {
    for (const c of cases.filter((c) => c.peer !== undefined)) {
      expect(byId.get(c.peer as string)?.group).toBe(c.group)
    }
  })

  it('runs tidemark basebackup with exactly pg_basebackup’s options', () => {
    const tidemark = byId.get('backup-ftz-nosync-tidemark')
    const peer = byId.get('backup-ftz-nosync-pg_basebackup')
    expect(tidemark?.command).toBe('/b/tidemark basebackup -D {out} -Ft -z -X stream -c fast -h 127.0.0.1 -p 5433 -U postgres -N')
    expect(peer?.command).toBe('/pg/pg_basebackup -D {out} -Ft -z -X stream -c fast -h 127.0.0.1 -p 5433 -U postgres -N')
  })

  it('carries the issue’s targets', () => {
    expect(byId.get('backup-fp-sync-tidemark')).toMatchObject({ maxRatio: 1, maxPeakMb: 150 })
    expect(byId.get('backup-ftz-sync-tidemark')).toMatchObject({ maxRatio: 0.6 })
    expect(byId.get('push-tidemark')).toMatchObject({ peer: 'push-pgbackrest-none', maxRatio: 1 })
    expect(byId.get('push-tidemark-gzip')).toMatchObject({ peer: 'push-pgbackrest-gz', maxRatio: 1 })
    expect(byId.get('get-tidemark-prefetch')).toMatchObject({ peer: 'get-cp', maxRatio: 1 })
  })

  it('reads every get case’s archive from a push case', () => {
    for (const c of cases.filter((c) => c.group === 'get')) {
      expect(byId.get(c.source as string)?.group).toBe('push')
    }
  })

  it('compares compressed with compressed and uncompressed with uncompressed archives', () => {
    expect(byId.get('push-tidemark-gzip')?.command).toContain('--compress gzip')
    expect(byId.get('push-pgbackrest-none')?.command).toContain('--compress-type=none archive-push')
    expect(byId.get('get-tidemark')).toMatchObject({ source: 'push-tidemark', peer: 'get-pgbackrest-none' })
    expect(byId.get('get-pgbackrest-none')?.source).toBe('push-pgbackrest-none')
  })

  it('has pgBackRest full backups with compress none and gz', () => {
    expect(byId.get('backup-pgbackrest-gz')?.command).toContain('--type=full --compress-type=gz backup')
    expect(byId.get('backup-pgbackrest-none')?.command).toContain('--compress-type=none')
  })
})

describe('roundOrder', () => {
  it('rotates by one each round so no case always runs first', () => {
    expect(roundOrder(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c'])
    expect(roundOrder(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a'])
    expect(roundOrder(['a', 'b', 'c'], 4)).toEqual(['b', 'c', 'a'])
  })

  it('copes with no cases', () => {
    expect(roundOrder([], 3)).toEqual([])
  })
})
