import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultAsideDir, linkedTablespaces, moveAside, putBack, relinkTablespace } from './move-aside.js'

function fakeDataDir(): { root: string; data: string; ts: string } {
  const root = mkdtempSync(join(tmpdir(), 'tidemark-aside-'))
  const data = join(root, 'data')
  const ts = join(root, 'ts1')
  mkdirSync(join(data, 'pg_tblspc'), { recursive: true })
  mkdirSync(ts)
  writeFileSync(join(data, 'PG_VERSION'), '16\n')
  writeFileSync(join(ts, 'table'), 'rows')
  symlinkSync(ts, join(data, 'pg_tblspc', '16384'))
  return { root, data, ts }
}

describe('moveAside', () => {
  it('moves the data directory and its tablespaces by rename and puts them back', async () => {
    const { root, data, ts } = fakeDataDir()
    const plan = await moveAside(data, join(root, 'aside'))
    expect(existsSync(data)).toBe(false)
    expect(existsSync(ts)).toBe(false)
    expect(readFileSync(join(root, 'aside', 'data', 'PG_VERSION'), 'utf8')).toBe('16\n')
    expect(readFileSync(join(root, 'aside', 'tablespaces', '16384', 'table'), 'utf8')).toBe('rows')
    mkdirSync(data)
    writeFileSync(join(data, 'half-restored'), '')
    await putBack(plan)
    expect(readFileSync(join(data, 'PG_VERSION'), 'utf8')).toBe('16\n')
    expect(existsSync(join(data, 'half-restored'))).toBe(false)
    expect(readFileSync(join(ts, 'table'), 'utf8')).toBe('rows')
  })

  it('refuses an aside directory that exists, moving nothing', async () => {
    const { root, data } = fakeDataDir()
    mkdirSync(join(root, 'aside'))
    await expect(moveAside(data, join(root, 'aside'))).rejects.toThrow(/already exists/)
    expect(existsSync(join(data, 'PG_VERSION'))).toBe(true)
  })

  it('finds tablespace links and relinks them', async () => {
    const { root, data, ts } = fakeDataDir()
    expect(await linkedTablespaces(data)).toEqual([{ oid: '16384', location: ts }])
    await relinkTablespace(data, '16384', join(root, 'elsewhere'))
    expect(readlinkSync(join(data, 'pg_tblspc', '16384'))).toBe(join(root, 'elsewhere'))
  })

  it('names the default aside directory after the data directory and the time', () => {
    expect(defaultAsideDir('/srv/pg/data', new Date('2026-11-24T10:20:30.123Z'))).toBe('/srv/pg/data.aside-20261124T102030Z')
  })
})
