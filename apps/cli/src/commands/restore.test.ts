import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { run, tempDirs, writeSampleArchive } from '../testing/restore-side.js'

const dirs = tempDirs()
afterAll(() => dirs.removeAll())

describe('tidemark restore', () => {
  it('refuses while postmaster.pid names a live process, touching nothing', async () => {
    const dir = dirs.make()
    const dataDir = join(dir, 'data')
    mkdirSync(dataDir)
    writeFileSync(join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n`)
    const result = await run(['restore', '--backup', writeSampleArchive(dir), '-D', dataDir])
    expect(result.exitCode).toBe(3)
    expect(result.err).toContain('[TIDEMARK_ERR_BACKUP_SERVER_RUNNING]')
    expect(readdirSync(dir).sort()).toEqual(['base.tar', 'data'])
    expect(readdirSync(dataDir)).toEqual(['postmaster.pid'])
  })

  it('moves the old data aside, lays the backup down, sets the port and says how to start it', async () => {
    const dir = dirs.make()
    const dataDir = join(dir, 'data')
    mkdirSync(dataDir)
    writeFileSync(join(dataDir, 'old-file'), 'old')
    const aside = join(dir, 'aside')
    const result = await run(['restore', '-N', '--backup', writeSampleArchive(dir), '-D', dataDir, '--move-aside', aside, '--port', '6543'])
    expect(result.exitCode).toBe(0)
    expect(result.out).toContain(`the old data is kept in ${aside}`)
    expect(result.out).toContain(`start it as its OS user with: pg_ctl start -D ${dataDir}`)
    expect(result.err).toContain(`tidemark: step 2: moved ${dataDir} aside to ${join(aside, 'data')}`)
    expect(readFileSync(join(aside, 'data', 'old-file'), 'utf8')).toBe('old')
    expect(readFileSync(join(dataDir, 'PG_VERSION'), 'utf8')).toBe('9.2\n')
    // openGauss has no postgresql.auto.conf: the port goes to postgresql.conf.
    expect(readFileSync(join(dataDir, 'postgresql.conf'), 'utf8')).toContain("port = '6543'")
    expect(existsSync(join(dataDir, 'old-file'))).toBe(false)
  })

  it('refuses --pg-bin without --start, and a missing backup', async () => {
    const dir = dirs.make()
    const usage = await run(['restore', '--backup', writeSampleArchive(dir), '-D', join(dir, 'data'), '--pg-bin', '/usr/bin'])
    expect(usage.exitCode).toBe(2)
    expect(usage.err).toBe('tidemark: --pg-bin is for --start [TIDEMARK_ERR_CLI_USAGE]\n')
    mkdirSync(join(dir, 'data'))
    const inside = await run(['restore', '--backup', writeSampleArchive(dir), '-D', join(dir, 'data'), '--move-aside', join(dir, 'data', 'old')])
    expect(inside.exitCode).toBe(2)
    expect(inside.err).toContain('is inside the data directory')
    expect(readdirSync(join(dir, 'data'))).toEqual([])
    const missing = await run(['restore', '--backup', join(dir, 'none'), '-D', join(dir, 'other')])
    expect(missing.exitCode).toBe(1)
    expect(existsSync(join(dir, 'other'))).toBe(false)
  })
})
