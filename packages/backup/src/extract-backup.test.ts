import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { ArchiveTruncatedError, UnsafeEntryError } from '@tidemark/archive'
import { buildGsTarArchive, type GsTarEntry } from '@tidemark/test-fixtures'
import { afterAll, describe, expect, it } from 'vitest'
import { TargetNotEmptyError, TablespaceLocationError } from './errors.js'
import { extractBackup } from './extract-backup.js'
import { parseTablespaceMap } from './extract-tablespace-map.js'
import { buildTar, scratchDirs } from './testing/extract-fixtures.js'

const scratch = scratchDirs()
afterAll(() => scratch.removeAll())

const pages = (count: number, seed: number): Buffer => Buffer.from(Array.from({ length: count * 8192 }, (_, i) => (i * 7 + seed) & 0xff))

function mode(path: string): number {
  return statSync(path).mode & 0o7777
}

describe('parseTablespaceMap', () => {
  it('reads oid-path lines with backslash escapes, ignoring junk', () => {
    expect(parseTablespaceMap('16385 /srv/ts one\n16390 /srv/a\\\\b\\\nc\nnot a line\n')).toEqual([
      { oid: '16385', path: '/srv/ts one' },
      { oid: '16390', path: '/srv/a\\b\nc' },
    ])
  })
})

describe('extractBackup of a hand-built gs_basebackup -F tar backup', () => {
  const absoluteLocation = '/srv/opengauss/tbs_abs'
  const version = 'PG_9.2_201611171_dn_6001'
  const base: GsTarEntry[] = [
    { name: 'backup_label', kind: 'file', mode: 0o600, content: 'START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n' },
    { name: 'PG_VERSION', kind: 'file', content: '9.2\n' },
    { name: 'postgresql.conf', kind: 'file', mode: 0o100640, content: "port = 5432\n" },
    { name: 'base', kind: 'directory' },
    { name: 'base/16384', kind: 'directory' },
    { name: 'base/16384/16390', kind: 'file', content: pages(9, 2) },
    { name: 'base/16384/odd', kind: 'file', mode: 0o100644, content: 'x'.repeat(1000) },
    { name: 'global', kind: 'directory' },
    { name: 'global/pg_control', kind: 'file', content: pages(1, 99) },
    { name: 'pg_xlog', kind: 'directory' },
    { name: 'pg_xlog/archive_status', kind: 'directory' },
    { name: 'pg_tblspc', kind: 'directory' },
    { name: 'pg_tblspc/16400', kind: 'symlink', linkTarget: absoluteLocation },
    { name: 'pg_tblspc/16410', kind: 'relative-symlink', linkTarget: 'pg_location/tbs_rel' },
    { name: 'pg_location', kind: 'directory' },
    { name: 'conf_link', kind: 'relative-symlink', linkTarget: 'postgresql.conf' },
  ]
  const tablespace = (seed: number): GsTarEntry[] => [
    { name: version, kind: 'directory' },
    { name: `${version}/16384`, kind: 'directory' },
    { name: `${version}/16384/${16000 + seed}`, kind: 'file', content: pages(2, seed) },
  ]

  for (const compressed of [false, true]) {
    it(`rebuilds the data directory byte for byte with modes and links (${compressed ? 'gzipped' : 'raw'} gs_tar)`, async () => {
      const source = scratch.make()
      const suffix = compressed ? '.tar.gz' : '.tar'
      const pack = (entries: GsTarEntry[]): Buffer => (compressed ? gzipSync(buildGsTarArchive(entries)) : buildGsTarArchive(entries))
      writeFileSync(join(source, `base${suffix}`), pack(base))
      writeFileSync(join(source, `16400${suffix}`), pack(tablespace(1)))
      writeFileSync(join(source, `16410${suffix}`), pack(tablespace(2)))
      const target = join(scratch.make(), 'data')
      const mapped = join(scratch.make(), 'tbs_abs')
      const messages: string[] = []
      const result = await extractBackup({
        source,
        targetDir: target,
        tablespaceMappings: [{ oldDir: absoluteLocation, newDir: mapped }],
        sync: false,
        onMessage: (text) => messages.push(text),
      })
      expect(result.flavor).toBe('opengauss')
      expect(result.archives.map((archive) => `${archive.name}:${archive.format}:${archive.compression}`)).toEqual([
        `base${suffix}:gs_tar:${compressed ? 'gzip' : 'none'}`,
        `16400${suffix}:gs_tar:${compressed ? 'gzip' : 'none'}`,
        `16410${suffix}:gs_tar:${compressed ? 'gzip' : 'none'}`,
      ])
      for (const entry of base.filter((item) => item.kind === 'file')) {
        expect(readFileSync(join(target, entry.name)), entry.name).toEqual(Buffer.from(entry.content ?? ''))
        expect(mode(join(target, entry.name)), entry.name).toBe((entry.mode ?? 0o600) & 0o7777)
      }
      expect(mode(join(target, 'base/16384'))).toBe(0o700)
      expect(mode(target)).toBe(0o700)
      expect(readlinkSync(join(target, 'pg_tblspc/16400'))).toBe(mapped)
      expect(readlinkSync(join(target, 'pg_tblspc/16410'))).toBe(join(target, 'pg_location/tbs_rel'))
      expect(readlinkSync(join(target, 'conf_link'))).toBe(join(target, 'postgresql.conf'))
      expect(readFileSync(join(mapped, version, '16384/16001'))).toEqual(pages(2, 1))
      expect(readFileSync(join(target, 'pg_tblspc/16410', version, '16384/16002'))).toEqual(pages(2, 2))
      expect(existsSync(absoluteLocation)).toBe(false)
      // The double-write step: one zero page, mode 0600.
      expect(readFileSync(join(target, 'global/pg_dw.build'))).toEqual(Buffer.alloc(8192))
      expect(mode(join(target, 'global/pg_dw.build'))).toBe(0o600)
      expect(lstatSync(join(target, 'pg_xlog')).isDirectory()).toBe(true)
      expect(messages.some((line) => line.includes('double-write'))).toBe(true)
    })
  }

  it('places tablespaces from tablespace_map (TABLESPACE_MAP backups): absolute ones mapped, pg_location ones inside', async () => {
    const source = scratch.make()
    const withMap = [
      ...base.filter((entry) => !entry.name.startsWith('pg_tblspc/')),
      { name: 'tablespace_map', kind: 'file' as const, mode: 0o600, content: `16400 ${absoluteLocation}\n16410 /var/lib/opengauss/data/pg_location/tbs_rel\n` },
    ]
    writeFileSync(join(source, 'base.tar'), buildGsTarArchive(withMap))
    writeFileSync(join(source, '16400.tar'), buildGsTarArchive(tablespace(1)))
    writeFileSync(join(source, '16410.tar'), buildGsTarArchive(tablespace(2)))
    const target = join(scratch.make(), 'data')
    const mapped = join(scratch.make(), 'elsewhere')
    const result = await extractBackup({ source, targetDir: target, tablespaceMappings: [{ oldDir: absoluteLocation, newDir: mapped }], sync: false })
    expect(result.tablespaces).toEqual([
      { oid: '16400', location: mapped },
      { oid: '16410', location: join(target, 'pg_location/tbs_rel') },
    ])
    expect(existsSync(join(target, 'tablespace_map'))).toBe(false)
    expect(readFileSync(join(target, 'pg_tblspc/16400', version, '16384/16001'))).toEqual(pages(2, 1))
    expect(readFileSync(join(target, 'pg_tblspc/16410', version, '16384/16002'))).toEqual(pages(2, 2))
  })

  it('fails on a tablespace archive without a location and removes what it created', async () => {
    const source = scratch.make()
    writeFileSync(join(source, 'base.tar'), buildGsTarArchive(base.filter((entry) => !entry.name.startsWith('pg_tblspc/'))))
    writeFileSync(join(source, '16400.tar'), buildGsTarArchive(tablespace(1)))
    const target = join(scratch.make(), 'data')
    await expect(extractBackup({ source, targetDir: target, sync: false })).rejects.toBeInstanceOf(TablespaceLocationError)
    expect(existsSync(target)).toBe(false)
  })
})

describe('extractBackup refuses unsafe or damaged archives', () => {
  it('refuses a traversal entry, writes nothing outside and removes the target it created', async () => {
    const parent = scratch.make()
    const archive = join(parent, 'evil.tar')
    writeFileSync(archive, await buildTar([[{ name: 'PG_VERSION' }, '15\n'], [{ name: '../escaped' }, 'gotcha']]))
    const target = join(parent, 'data')
    const failure = extractBackup({ source: archive, targetDir: target, sync: false })
    await expect(failure).rejects.toBeInstanceOf(UnsafeEntryError)
    await expect(failure).rejects.toThrow(/evil\.tar: refused entry "\.\.\/escaped"/)
    expect(readdirSync(parent)).toEqual(['evil.tar'])
  })

  it('refuses entries through a link leading outside the target', async () => {
    const parent = scratch.make()
    const outside = scratch.make()
    const archive = join(parent, 'base.tar')
    writeFileSync(archive, await buildTar([[{ name: 'sneaky', type: 'symlink', linkname: outside }], [{ name: 'sneaky/file' }, 'gotcha']]))
    await expect(extractBackup({ source: archive, targetDir: join(parent, 'data'), sync: false })).rejects.toBeInstanceOf(UnsafeEntryError)
    expect(readdirSync(outside)).toEqual([])
    expect(existsSync(join(parent, 'data'))).toBe(false)
  })

  it('names the archive and the offset of a truncated archive, and empties a target that existed', async () => {
    const parent = scratch.make()
    const archive = join(parent, 'base.tar.gz')
    const tar = await buildTar([[{ name: 'PG_VERSION' }, '15\n'], [{ name: 'big' }, Buffer.alloc(100_000, 7)]])
    writeFileSync(archive, gzipSync(tar.subarray(0, 50_000)))
    const target = join(parent, 'data')
    mkdirSync(target)
    const failure = extractBackup({ source: archive, targetDir: target, sync: false })
    await expect(failure).rejects.toBeInstanceOf(ArchiveTruncatedError)
    await expect(failure).rejects.toThrow(/^base\.tar\.gz: truncated .* at byte offset \d+/)
    expect(readdirSync(target)).toEqual([])
  })

  it('stops when its signal is aborted and removes what it created', async () => {
    const parent = scratch.make()
    writeFileSync(join(parent, 'base.tar'), await buildTar([[{ name: 'PG_VERSION' }, '15\n'], [{ name: 'big' }, Buffer.alloc(300_000, 1)]]))
    writeFileSync(join(parent, 'pg_wal.tar'), await buildTar([[{ name: '000000010000000000000001' }, Buffer.alloc(1000)]]))
    const controller = new AbortController()
    const reason = new Error('stop now')
    const target = join(scratch.make(), 'data')
    const failure = extractBackup({
      source: parent,
      targetDir: target,
      sync: false,
      signal: controller.signal,
      onMessage: (text) => {
        if (text.startsWith('extracting pg_wal.tar')) {
          controller.abort(reason)
        }
      },
    })
    await expect(failure).rejects.toBe(reason)
    expect(existsSync(target)).toBe(false)
  })

  it('refuses a target directory that is not empty, touching nothing', async () => {
    const parent = scratch.make()
    const archive = join(parent, 'base.tar')
    writeFileSync(archive, await buildTar([[{ name: 'PG_VERSION' }, '15\n']]))
    const target = join(parent, 'data')
    mkdirSync(target)
    writeFileSync(join(target, 'keep'), 'mine')
    await expect(extractBackup({ source: archive, targetDir: target, sync: false })).rejects.toBeInstanceOf(TargetNotEmptyError)
    expect(readdirSync(target)).toEqual(['keep'])
  })
})
