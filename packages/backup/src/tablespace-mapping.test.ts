import { describe, expect, it } from 'vitest'
import { mapTablespace, parseTablespaceMapping, parseTablespaceMappings } from './tablespace-mapping.js'

describe('parseTablespaceMapping', () => {
  it('splits OLDDIR=NEWDIR', () => {
    expect(parseTablespaceMapping('/srv/ts1=/backup/ts1')).toEqual({ oldDir: '/srv/ts1', newDir: '/backup/ts1' })
  })

  it('reads \\= as a literal equal sign on either side', () => {
    expect(parseTablespaceMapping('/srv/a\\=b=/backup/c\\=d')).toEqual({ oldDir: '/srv/a=b', newDir: '/backup/c=d' })
  })

  it('canonicalises trailing slashes and dots', () => {
    expect(parseTablespaceMapping('/srv/ts1/=/backup/./ts1//')).toEqual({ oldDir: '/srv/ts1', newDir: '/backup/ts1' })
  })

  it('refuses a second unescaped equal sign', () => {
    expect(() => parseTablespaceMapping('/a=/b=/c')).toThrow('multiple "=" signs in tablespace mapping "/a=/b=/c"')
  })

  it('refuses a mapping without an equal sign or with an empty side', () => {
    expect(() => parseTablespaceMapping('/a')).toThrow(/must be "OLDDIR=NEWDIR"/)
    expect(() => parseTablespaceMapping('=/b')).toThrow(/must be "OLDDIR=NEWDIR"/)
    expect(() => parseTablespaceMapping('/a=')).toThrow(/must be "OLDDIR=NEWDIR"/)
  })

  it('refuses relative directories', () => {
    expect(() => parseTablespaceMapping('a=/b')).toThrow('old directory is not an absolute path in tablespace mapping: a')
    expect(() => parseTablespaceMapping('/a=b')).toThrow('new directory is not an absolute path in tablespace mapping: b')
  })

  it('carries a stable code and the usage exit status', () => {
    try {
      parseTablespaceMapping('x')
      expect.unreachable()
    } catch (error) {
      expect(error).toMatchObject({ code: 'TIDEMARK_ERR_BACKUP_TABLESPACE_MAPPING', exitCode: 2 })
    }
  })
})

describe('parseTablespaceMappings', () => {
  it('refuses the same old directory twice', () => {
    expect(() => parseTablespaceMappings(['/a=/b', '/a/=/c'])).toThrow('tablespace "/a" is mapped more than once')
  })
})

describe('mapTablespace', () => {
  const mappings = parseTablespaceMappings(['/srv/ts1=/backup/ts1'])

  it('relocates a mapped location', () => {
    expect(mapTablespace('/srv/ts1/', mappings)).toBe('/backup/ts1')
  })

  it('keeps an unmapped location', () => {
    expect(mapTablespace('/srv/ts2', mappings)).toBe('/srv/ts2')
  })
})
