import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isInside, safeEntryParts } from './entry-path.js'
import { ExtractConflictError, UnsafeEntryError } from './errors.js'
import { extractEntries } from './extract.js'
import { readTar } from './tar-reader.js'
import type { TarEntryInput } from './tar-pack.js'
import { buildGsTar, buildTar, pieces } from './testing/archives.js'
import { sampleBytes } from './testing/streams.js'

const dirs: string[] = []
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-extract-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true })
  }
})

const MTIME = new Date(Date.UTC(2021, 3, 4, 5, 6, 7))

async function extractTar(entries: Array<[TarEntryInput, Buffer?]>, target: string, allowedRoots: string[] = []): Promise<unknown> {
  const tar = await buildTar(entries)
  return extractEntries(readTar(pieces(tar, 1000), { archive: 'base.tar' }), target, { archive: 'base.tar', allowedRoots })
}

describe('entry names', () => {
  it('refuses absolute names, .. and NUL; normalises . and //', () => {
    expect(safeEntryParts('./base//1/./2')).toEqual({ parts: ['base', '1', '2'] })
    expect(safeEntryParts('/etc/passwd')).toEqual({ refused: 'absolute names are not allowed' })
    expect(safeEntryParts('base/../../x')).toEqual({ refused: "names with '..' are not allowed" })
    expect(safeEntryParts('a\0b')).toEqual({ refused: 'the name contains a NUL byte' })
    expect(isInside('/a/bc', '/a/b')).toBe(false)
    expect(isInside('/a/b/c', '/a/b/')).toBe(true)
  })
})

describe('extraction', () => {
  it('writes files with their modes and mtimes, directories 0700, links', async () => {
    const target = join(scratch(), 'data')
    const result = await extractTar(
      [
        [{ name: 'base', type: 'directory', mode: 0o755 }],
        [{ name: 'base/1/1259', mode: 0o640, mtime: MTIME }, sampleBytes(20000)],
        [{ name: 'PG_VERSION', mode: 0o600, mtime: MTIME }, Buffer.from('15\n')],
        [{ name: 'pg_wal_link', type: 'symlink', linkname: '/nonexistent/wal' }],
        [{ name: 'hard', type: 'link', linkname: 'PG_VERSION' }],
      ],
      target
    )
    expect(result).toEqual({ files: 2, directories: 2, symlinks: 1, hardLinks: 1, skipped: 0, bytes: 20003 })
    expect(readFileSync(join(target, 'base/1/1259')).equals(sampleBytes(20000))).toBe(true)
    expect(statSync(join(target, 'base/1/1259')).mode & 0o777).toBe(0o640)
    expect(statSync(join(target, 'base/1/1259')).mtime).toEqual(MTIME)
    expect(statSync(join(target, 'base')).mode & 0o777).toBe(0o700)
    expect(statSync(join(target, 'base/1')).mode & 0o777).toBe(0o700)
    expect(readlinkSync(join(target, 'pg_wal_link'))).toBe('/nonexistent/wal')
    expect(statSync(join(target, 'hard')).ino).toBe(statSync(join(target, 'PG_VERSION')).ino)
  })

  it('refuses a traversal entry before writing it', async () => {
    const root = scratch()
    const target = join(root, 'data')
    await expect(extractTar([[{ name: '../escaped' }, Buffer.from('x')]], target)).rejects.toThrow(
      new UnsafeEntryError('base.tar', '../escaped', "names with '..' are not allowed")
    )
    await expect(extractTar([[{ name: '../escaped' }, Buffer.from('x')]], target)).rejects.toThrow(
      `base.tar: refused entry "../escaped": names with '..' are not allowed; nothing outside the target directory is written`
    )
    expect(existsSync(join(root, 'escaped'))).toBe(false)
    await expect(extractTar([[{ name: '/tmp/abs' }, Buffer.from('x')]], join(root, 'd2'))).rejects.toBeInstanceOf(UnsafeEntryError)
  })

  it('refuses entries that a link would carry outside, and allows tablespace roots', async () => {
    const root = scratch()
    const outside = join(root, 'outside')
    mkdirSync(outside)
    await expect(
      extractTar([[{ name: 'evil', type: 'symlink', linkname: outside }], [{ name: 'evil/file' }, Buffer.from('x')]], join(root, 'a'))
    ).rejects.toThrow(`base.tar: refused entry "evil/file": "evil" is a link leading outside the target directory (to "${outside}")`)
    await expect(
      extractTar([[{ name: 'up', type: 'symlink', linkname: '..' }], [{ name: 'up/x/y' }, Buffer.from('x')]], join(root, 'b'))
    ).rejects.toBeInstanceOf(UnsafeEntryError)
    await expect(
      extractTar([[{ name: 'chain1', type: 'symlink', linkname: 'chain2' }], [{ name: 'chain2', type: 'symlink', linkname: outside }], [{ name: 'chain1/x' }, Buffer.from('x')]], join(root, 'c'))
    ).rejects.toBeInstanceOf(UnsafeEntryError)
    expect(existsSync(join(outside, 'file'))).toBe(false)
    expect(existsSync(join(outside, 'x'))).toBe(false)
    // An allowed root (a tablespace location) may be written through a link.
    await extractTar([[{ name: 'pg_tblspc/16384', type: 'symlink', linkname: outside }], [{ name: 'pg_tblspc/16384/PG_15/1/2' }, Buffer.from('t')]], join(root, 'd'), [outside])
    expect(readFileSync(join(outside, 'PG_15/1/2'), 'utf8')).toBe('t')
  })

  it('never overwrites what exists', async () => {
    const target = scratch()
    writeFileSync(join(target, 'PG_VERSION'), 'old')
    await expect(extractTar([[{ name: 'PG_VERSION' }, Buffer.from('15\n')]], target)).rejects.toThrow(
      new ExtractConflictError(join(target, 'PG_VERSION'))
    )
    expect(readFileSync(join(target, 'PG_VERSION'), 'utf8')).toBe('old')
    symlinkSync('/etc/passwd', join(target, 'trap'))
    await expect(extractTar([[{ name: 'trap' }, Buffer.from('x')]], target)).rejects.toBeInstanceOf(ExtractConflictError)
  })

  it('extracts gs_tar with PGDATA-relative links anchored at the target', async () => {
    const target = join(scratch(), 'og')
    const gs = buildGsTar([
      { name: 'pg_location/tbs1/', type: '5', mode: 0o40700 },
      { name: 'pg_tblspc/', type: '5', mode: 0o40700 },
      { name: 'pg_tblspc/16385/', type: '3', mode: 0o120777, linkname: 'pg_location/tbs1' },
      { name: 'pg_tblspc/16385/PG_9.2_201611171_dn1/1/2', type: '0', mode: 0o100600, data: Buffer.from('row') },
    ])
    await extractEntries(readTar(pieces(gs, 512), { format: 'gs_tar' }), target)
    expect(readlinkSync(join(target, 'pg_tblspc/16385'))).toBe(join(target, 'pg_location/tbs1'))
    expect(lstatSync(join(target, 'pg_location/tbs1/PG_9.2_201611171_dn1/1/2')).isFile()).toBe(true)
  })
})

describe('rewriting entries', () => {
  it('re-targets a tablespace link, materialises a pg_wal link and skips entries', async () => {
    const root = scratch()
    const relocated = join(root, 'new_tbs')
    mkdirSync(relocated)
    const tar = await buildTar([
      [{ name: 'pg_wal', type: 'symlink', linkname: '/old/wal' }],
      [{ name: 'pg_tblspc/16384', type: 'symlink', linkname: '/old/tbs' }],
      [{ name: 'postmaster.pid' }, Buffer.from('1')],
      [{ name: 'pg_tblspc/16384/PG_15/1/2' }, Buffer.from('t')],
    ])
    await extractEntries(readTar(pieces(tar, 512)), join(root, 'data'), {
      allowedRoots: [relocated],
      rewrite: (header) => {
        if (header.name === 'postmaster.pid') {
          return null
        }
        if (header.name === 'pg_wal') {
          return { ...header, type: 'directory', linkname: '' }
        }
        return header.linkname === '/old/tbs' ? { ...header, linkname: relocated } : header
      },
    })
    expect(lstatSync(join(root, 'data/pg_wal')).isDirectory()).toBe(true)
    expect(existsSync(join(root, 'data/postmaster.pid'))).toBe(false)
    expect(readFileSync(join(relocated, 'PG_15/1/2'), 'utf8')).toBe('t')
  })
})

describe('openGauss double write', () => {
  it('replaces pg_dw files with one zero page in pg_dw.build', async () => {
    const { prepareOpenGaussDoubleWrite } = await import('./opengauss-double-write.js')
    const data = scratch()
    mkdirSync(join(data, 'global'))
    writeFileSync(join(data, 'global/pg_dw'), 'old')
    await prepareOpenGaussDoubleWrite(data)
    expect(existsSync(join(data, 'global/pg_dw'))).toBe(false)
    expect(readFileSync(join(data, 'global/pg_dw.build')).equals(Buffer.alloc(8192))).toBe(true)
    expect(statSync(join(data, 'global/pg_dw.build')).mode & 0o777).toBe(0o600)
  })
})
