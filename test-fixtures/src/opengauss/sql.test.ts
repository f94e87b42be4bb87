import { describe, expect, it } from 'vitest'
import { answerSql } from './sql.js'
import type { SqlContext } from './sql.js'

function context(): SqlContext & { switched: number } {
  return {
    switched: 0,
    versionString: '(openGauss 6.0.0 build x) compiled at …',
    settings: new Map([['wal_level', 'hot_standby']]),
    inRecovery: false,
    currentLsn: () => '0/2300000',
    switchXlog() {
      this.switched += 1
      return '0/2300000'
    },
    createRestorePoint: () => '0/2300000',
  }
}

/** Message codes and the text of the first DataRow's first value. */
function read(messages: Buffer[]): { codes: string; value: string | undefined; error: string | undefined } {
  const codes = messages.map((m) => String.fromCharCode(m[0] ?? 0)).join('')
  const row = messages.find((m) => m[0] === 0x44)
  const value = row ? row.toString('utf8', 11, 11 + row.readInt32BE(7)) : undefined
  const err = messages.find((m) => m[0] === 0x45)
  const code = err ? /C([0-9A-Z]{5})\0/.exec(err.toString('latin1'))?.[1] : undefined
  return { codes, value, error: code }
}

describe('answerSql', () => {
  it('answers version(), SHOW and current_setting', () => {
    expect(read(answerSql('SELECT version();', context()))).toEqual({
      codes: 'TDC',
      value: '(openGauss 6.0.0 build x) compiled at …',
      error: undefined,
    })
    expect(read(answerSql('show WAL_LEVEL', context())).value).toBe('hot_standby')
    expect(read(answerSql("select current_setting('wal_level')", context())).value).toBe('hot_standby')
    expect(read(answerSql('SHOW nothing_here', context())).error).toBe('42704')
  })

  it('answers the 9.2-era functions and refuses the PostgreSQL 10+ names', () => {
    expect(read(answerSql('SELECT pg_is_in_recovery()', context())).value).toBe('f')
    expect(read(answerSql('SELECT pg_current_xlog_location()', context())).value).toBe('0/2300000')
    expect(read(answerSql('SELECT pg_current_wal_lsn()', context())).error).toBe('42883')
    expect(read(answerSql('SELECT pg_switch_wal()', context())).error).toBe('42883')
  })

  it('switches WAL through the context', () => {
    const ctx = context()
    answerSql('SELECT pg_switch_xlog()', ctx)
    expect(ctx.switched).toBe(1)
  })

  it('answers the empty query and refuses what it does not know', () => {
    expect(read(answerSql('  ', context())).codes).toBe('I')
    expect(read(answerSql('CREATE TABLE t (a int)', context())).error).toBe('0A000')
  })
})
