import { describe, expect, it } from 'vitest'
import { decideBaseEntry } from './backup-filter.js'

describe('decideBaseEntry', () => {
  it('skips state files, double-write files, the log directory and pg_location', () => {
    for (const path of [
      'postmaster.pid',
      'postmaster.opts',
      'gaussdb.state',
      'global/pg_dw',
      'global/pg_dw_single',
      'global/pg_dw.build',
      'global/config_exec_params',
      'pg_log',
      'pg_log/x.log',
      'pg_location',
      'pg_location/tbs/PG_9.2',
      'base/16384/pgsql_tmp123',
      'backup_label',
    ]) {
      expect([path, decideBaseEntry(path, true)]).toEqual([path, 'skip'])
    }
  })

  it('sends pg_xlog and pg_errorinfo without their contents', () => {
    expect(decideBaseEntry('pg_xlog', false)).toBe('send')
    expect(decideBaseEntry('pg_xlog/000000010000000000000001', false)).toBe('skip')
    expect(decideBaseEntry('pg_errorinfo/e', false)).toBe('skip')
  })

  it('holds pg_control back and sends configuration and keys to gs_basebackup only', () => {
    expect(decideBaseEntry('global/pg_control', false)).toBe('hold-back')
    expect(decideBaseEntry('postgresql.conf', false)).toBe('skip')
    expect(decideBaseEntry('postgresql.conf', true)).toBe('send')
    expect(decideBaseEntry('server.key', false)).toBe('skip')
    expect(decideBaseEntry('pg_hba.conf', false)).toBe('send')
  })
})
