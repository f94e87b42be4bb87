import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TarHeader } from '@tidemark/archive'
import { checkTablespaceTargets, placeTablespaces, plainBaseRewrite } from './plain-layout.js'
import { parseTablespaceMappings } from './tablespace-mapping.js'

const header = (name: string, type: TarHeader['type'], linkname = ''): TarHeader => ({
  name,
  type,
  linkname,
  size: 0,
  mode: 0o700,
  mtime: new Date(0),
  uid: 0,
  gid: 0,
  uname: '',
  gname: '',
  linkRelativeToRoot: false,
  typeflag: type === 'symlink' ? '2' : '5',
  offset: 0,
})

describe('placeTablespaces', () => {
  it('maps absolute locations with -T and keeps relative ones inside the data directory', () => {
    const placed = placeTablespaces(
      [
        { oid: 16384, location: '/srv/ts1' },
        { oid: 16385, location: '/srv/ts2' },
        { oid: 16386, location: 'pg_location/ts3' },
      ],
      '/backup',
      parseTablespaceMappings(['/srv/ts1=/backup-ts/ts1'])
    )
    expect(placed.map((t) => [t.target, t.insideDataDir])).toEqual([
      ['/backup-ts/ts1', false],
      ['/srv/ts2', false],
      ['/backup/pg_location/ts3', true],
    ])
  })
})

describe('checkTablespaceTargets', () => {
  it('refuses a tablespace whose place is a non-empty directory and tells to use -T or -F tar', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-ts-'))
    mkdirSync(join(dir, 'live'))
    writeFileSync(join(dir, 'live', 'PG_16_202307071'), '')
    const placed = placeTablespaces([{ oid: 1, location: join(dir, 'live') }], '/backup', [])
    await expect(checkTablespaceTargets(placed)).rejects.toThrow(/relocate it with -T OLDDIR=NEWDIR or use -F tar/)
    await expect(checkTablespaceTargets(placeTablespaces([{ oid: 1, location: join(dir, 'new') }], '/b', []))).resolves.toBeUndefined()
  })
})

describe('plainBaseRewrite', () => {
  const placed = placeTablespaces([{ oid: 16384, location: '/srv/ts1' }], '/backup', parseTablespaceMappings(['/srv/ts1=/new/ts1']))

  it('points tablespace links at their new place', () => {
    expect(plainBaseRewrite(placed, undefined)(header('pg_tblspc/16384', 'symlink', '/srv/ts1'))?.linkname).toBe('/new/ts1')
  })

  it('drops the WAL directory entry when pg_wal is a link to --waldir, and leaves others', () => {
    const rewrite = plainBaseRewrite(placed, 'pg_wal')
    expect(rewrite(header('pg_wal', 'directory'))).toBeUndefined()
    expect(rewrite(header('pg_wal/archive_status', 'directory'))?.name).toBe('pg_wal/archive_status')
    expect(rewrite(header('base', 'directory'))?.name).toBe('base')
  })
})
