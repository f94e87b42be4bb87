import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { assertServerStopped, detectServer, livePostmasterPid, readExistingFiles, readServerTimeZone } from './data-dir.js'
import { DataDirectoryError, ServerRunningError, ServerVersionUnsupportedError } from './errors.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tidemark-recovery-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('detectServer', () => {
  it('reads a PostgreSQL major from PG_VERSION', () => {
    writeFileSync(join(dir, 'PG_VERSION'), '16\n')
    expect(detectServer(dir)).toEqual({ flavor: 'postgresql', major: 16 })
  })

  it('recognises openGauss by PG_VERSION 9.2 and a marker file', () => {
    writeFileSync(join(dir, 'PG_VERSION'), '9.2\n')
    expect(() => detectServer(dir)).toThrow(ServerVersionUnsupportedError)
    mkdirSync(join(dir, 'global'))
    writeFileSync(join(dir, 'global', 'pg_dw.build'), '')
    expect(detectServer(dir)).toEqual({ flavor: 'opengauss' })
  })

  it('refuses a directory without PG_VERSION, or an odd one', () => {
    expect(() => detectServer(dir)).toThrow(DataDirectoryError)
    writeFileSync(join(dir, 'PG_VERSION'), 'banana\n')
    expect(() => detectServer(dir)).toThrow(ServerVersionUnsupportedError)
  })
})

describe('livePostmasterPid and assertServerStopped', () => {
  it('report a live pid and refuse', () => {
    writeFileSync(join(dir, 'postmaster.pid'), `${process.pid}\n${dir}\n`)
    expect(livePostmasterPid(dir)).toBe(process.pid)
    expect(() => assertServerStopped(dir)).toThrow(ServerRunningError)
    expect(() => assertServerStopped(dir)).toThrow(`(postmaster pid ${process.pid}); stop it first`)
  })

  it('ignore a stale pid file and a missing one', () => {
    expect(livePostmasterPid(dir)).toBeUndefined()
    const exited = spawnSync('/bin/sh', ['-c', 'echo $$']).stdout.toString().trim()
    writeFileSync(join(dir, 'postmaster.pid'), `${exited}\n`)
    expect(livePostmasterPid(dir)).toBeUndefined()
    writeFileSync(join(dir, 'postmaster.pid'), 'garbage\n')
    expect(() => assertServerStopped(dir)).not.toThrow()
  })
})

describe('readServerTimeZone', () => {
  it('takes the last timezone of postgresql.conf then postgresql.auto.conf, GMT by default', () => {
    expect(readServerTimeZone(dir)).toEqual({ zone: 'GMT', source: 'server default' })
    writeFileSync(join(dir, 'postgresql.conf'), "timezone = 'Europe/Berlin'\n#timezone = 'UTC'\n")
    expect(readServerTimeZone(dir)).toEqual({ zone: 'Europe/Berlin', source: 'postgresql.conf' })
    writeFileSync(join(dir, 'postgresql.auto.conf'), "TimeZone = 'Asia/Tokyo'\n")
    expect(readServerTimeZone(dir)).toEqual({ zone: 'Asia/Tokyo', source: 'postgresql.auto.conf' })
  })
})

describe('readExistingFiles', () => {
  it('reads the files planning looks at, undefined when absent', () => {
    writeFileSync(join(dir, 'postgresql.auto.conf'), 'a = 1\n')
    writeFileSync(join(dir, 'standby.signal'), '')
    expect(readExistingFiles(dir)).toEqual({
      postgresqlConf: undefined,
      autoConf: 'a = 1\n',
      recoveryConf: undefined,
      standbySignal: true,
    })
  })
})
