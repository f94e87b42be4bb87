// The handful of SQL a backup client sends on an ordinary (non-replication) connection, answered
// as openGauss would: its PG 9.2 function names (pg_current_xlog_location, not *_wal_*).
import {
  emptyQueryResponse,
  errorResponse,
  resultSet,
  textField,
  int4Field,
} from './backend-messages.js'
import type { FieldSpec } from './backend-messages.js'
import { PgTypeOid } from './constants.js'

export interface SqlContext {
  readonly versionString: string
  /** SHOW / current_setting values, keyed by lower-case name. */
  readonly settings: ReadonlyMap<string, string>
  readonly inRecovery: boolean
  /** The current WAL flush position, `%X/%X`. */
  currentLsn(): string
  /** pg_switch_xlog(): returns the switch point and moves WAL to the next segment. */
  switchXlog(): string
  createRestorePoint(name: string): string
}

const boolField = (name: string): FieldSpec => ({ name, typeOid: PgTypeOid.bool, typeLength: 1 })

function single(field: FieldSpec, value: string): Buffer[] {
  return resultSet([field], [[value]], 'SELECT 1')
}

function error(code: string, message: string): Buffer[] {
  return [errorResponse({ severity: 'ERROR', code, message })]
}

/** The messages answering one simple query (without the ReadyForQuery that follows). */
export function answerSql(sqlText: string, context: SqlContext): Buffer[] {
  const sql = sqlText.trim().replace(/;+\s*$/, '').trim()
  if (sql === '') {
    return [emptyQueryResponse()]
  }
  let match: RegExpExecArray | null
  if (/^select\s+version\s*\(\s*\)$/i.test(sql)) {
    return single(textField('version'), context.versionString)
  }
  if ((match = /^show\s+"?([a-z_][a-z0-9_.]*)"?$/i.exec(sql))) {
    const name = (match[1] ?? '').toLowerCase()
    const value = context.settings.get(name)
    return value === undefined
      ? error('42704', `unrecognized configuration parameter "${name}"`)
      : single(textField(name), value)
  }
  if ((match = /^select\s+current_setting\s*\(\s*'([a-z_][a-z0-9_.]*)'\s*\)$/i.exec(sql))) {
    const name = (match[1] ?? '').toLowerCase()
    const value = context.settings.get(name)
    return value === undefined
      ? error('42704', `unrecognized configuration parameter "${name}"`)
      : single(textField('current_setting'), value)
  }
  if (/^select\s+pg_is_in_recovery\s*\(\s*\)$/i.test(sql)) {
    return single(boolField('pg_is_in_recovery'), context.inRecovery ? 't' : 'f')
  }
  if (/^select\s+pg_current_xlog_location\s*\(\s*\)$/i.test(sql)) {
    return single(textField('pg_current_xlog_location'), context.currentLsn())
  }
  if (/^select\s+pg_switch_xlog\s*\(\s*\)$/i.test(sql)) {
    return single(textField('pg_switch_xlog'), context.switchXlog())
  }
  if ((match = /^select\s+pg_create_restore_point\s*\(\s*'([^']*)'\s*\)$/i.exec(sql))) {
    return single(textField('pg_create_restore_point'), context.createRestorePoint(match[1] ?? ''))
  }
  if (/^select\s+1$/i.test(sql)) {
    return single(int4Field('?column?'), '1')
  }
  if ((match = /^select\s+([a-z_][a-z0-9_]*)\s*\(\s*\)$/i.exec(sql))) {
    // PostgreSQL 10+ names (pg_current_wal_lsn, pg_switch_wal, …) do not exist on openGauss.
    return [
      errorResponse({
        severity: 'ERROR',
        code: '42883',
        message: `function ${(match[1] ?? '').toLowerCase()}() does not exist`,
        hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
      }),
    ]
  }
  return error('0A000', `the openGauss simulator does not answer this query: ${sql}`)
}
