import { describe, expect, it } from 'vitest'
import { checkBaseBackupOptions, checkServerSupports } from './basebackup-checks.js'
import { BASEBACKUP_DEFAULTS, type BaseBackupOptions } from './basebackup-options.js'
import { NO_COMPRESSION, parseCompressionSpec } from './compression-spec.js'

const base: BaseBackupOptions = {
  ...BASEBACKUP_DEFAULTS,
  connection: {},
  targetDir: '/tmp/x',
  compression: NO_COMPRESSION,
  tablespaceMappings: [],
  createSlot: false,
  noSlot: false,
  writeRecoveryConf: false,
  sync: true,
  clean: true,
  manifest: true,
  estimateSize: true,
}

describe('checkBaseBackupOptions', () => {
  it('accepts the defaults', () => {
    expect(() => checkBaseBackupOptions(base)).not.toThrow()
  })

  it.each([
    [{ compression: parseCompressionSpec('gzip') }, /only tar mode backups can be compressed/],
    [{ format: 'tar' as const, walDir: '/w' }, /--waldir is only allowed with plain format/],
    [{ walMethod: 'none' as const, walDir: '/w' }, /--waldir needs WAL/],
    [{ createSlot: true }, /--create-slot needs a slot name/],
    [{ slot: 's', noSlot: true }, /--no-slot cannot be used with -S/],
    [{ slot: 's', walMethod: 'fetch' as const }, /only be used with -X stream/],
    [{ noSlot: true, walMethod: 'none' as const }, /--no-slot can only be used with -X stream/],
  ])('refuses %o', (change, message) => {
    expect(() => checkBaseBackupOptions({ ...base, ...change })).toThrow(message)
  })
})

describe('checkServerSupports', () => {
  it('refuses server-side compression before PostgreSQL 15 and on openGauss', () => {
    const options = { ...base, format: 'tar' as const, compression: parseCompressionSpec('server-gzip') }
    expect(() => checkServerSupports(options, { flavor: 'postgresql', major: 14, version: '14.1', protocolMinor: 0 })).toThrow(/needs PostgreSQL 15/)
    expect(() => checkServerSupports(options, { flavor: 'postgresql', major: 15, version: '15.1', protocolMinor: 0 })).not.toThrow()
    expect(() => checkServerSupports(options, { flavor: 'opengauss', major: 9, version: '9.2.4', protocolMinor: 51 })).toThrow(/openGauss cannot compress/)
  })
})
