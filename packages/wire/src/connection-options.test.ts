import { describe, expect, it } from 'vitest'
import { resolveParameters } from './connect-options.js'
import { parseConnInfo } from './conninfo.js'
import { ConnInfoError, UnsupportedServerError } from './errors.js'
import { formatLsn, parseLsn } from './lsn.js'
import { lookupPassFile, parsePassFileLine } from './pgpass.js'
import { serverInfo } from './server-info.js'

describe('parseConnInfo', () => {
  it('parses key=value lists with quotes, escapes and spaces around =', () => {
    expect(parseConnInfo(`host=/tmp port = 5433 dbname='my db' password='it\\'s' user=a\\ b`)).toEqual({
      host: '/tmp', port: '5433', dbname: 'my db', password: "it's", user: 'a b',
    })
  })

  it('parses URIs with user info, IPv6, host lists, percent-encoding and parameters', () => {
    expect(parseConnInfo('postgresql://u%40x:p%3Aw@[::1]:5433/db?sslmode=verify-full&application_name=app')).toEqual({
      user: 'u@x', password: 'p:w', host: '::1', port: '5433', dbname: 'db', sslmode: 'verify-full', application_name: 'app',
    })
    expect(parseConnInfo('postgres://h1:1,h2:2/')).toEqual({ host: 'h1,h2', port: '1,2' })
    expect(parseConnInfo('postgresql://%2Fvar%2Frun%2Fpostgresql/db')).toEqual({ host: '/var/run/postgresql', dbname: 'db' })
    expect(parseConnInfo('postgresql:///db?host=/tmp')).toEqual({ dbname: 'db', host: '/tmp' })
  })

  it('rejects unknown keywords and broken syntax with ConnInfoError, never echoing a password', () => {
    expect(() => parseConnInfo('bogus=1')).toThrow(ConnInfoError)
    expect(() => parseConnInfo('host')).toThrow(ConnInfoError)
    expect(() => parseConnInfo(`password='secret`)).toThrow(/unterminated/)
    expect(() => parseConnInfo(`password='secret`)).not.toThrow(/secret/)
    expect(() => parseConnInfo('postgresql://[::1/db')).toThrow(ConnInfoError)
  })
})

describe('resolveParameters', () => {
  it('prefers options over the connection string over PG* variables over defaults', () => {
    const env = { PGHOST: 'envhost', PGPORT: '7000', PGUSER: 'envuser', PGDATABASE: 'envdb', PGSSLMODE: 'require', PGAPPNAME: 'envapp', PGCONNECT_TIMEOUT: '1', PGPASSWORD: 'envpw', PGPASSFILE: '/x/pgpass' }
    const resolved = resolveParameters({ env, connectionString: 'host=infohost user=infouser', user: 'optuser' })
    expect(resolved).toMatchObject({
      targets: [{ host: 'infohost', port: 7000 }], user: 'optuser', database: 'envdb', sslmode: 'require',
      applicationName: 'envapp', password: 'envpw', passfile: '/x/pgpass', connectTimeoutMs: 2000,
    })
    expect(resolveParameters({ env: {}, host: '/sock', user: 'u' })).toMatchObject({ targets: [{ host: '/sock', port: 5432 }], database: 'u', sslmode: 'prefer', connectTimeoutMs: undefined })
  })

  it('pairs host and port lists and rejects bad values', () => {
    expect(resolveParameters({ env: {}, connectionString: 'host=a,b port=1,2' }).targets).toEqual([{ host: 'a', port: 1 }, { host: 'b', port: 2 }])
    expect(() => resolveParameters({ env: {}, connectionString: 'host=a,b,c port=1,2' })).toThrow(ConnInfoError)
    expect(() => resolveParameters({ env: { PGPORT: 'x' } })).toThrow(ConnInfoError)
    expect(() => resolveParameters({ env: { PGSSLMODE: 'maybe' } })).toThrow(ConnInfoError)
  })
})

describe('password file', () => {
  it('splits fields with \\: and \\\\ escapes, skipping comments', () => {
    expect(parsePassFileLine('h\\:x:5432:db:u:p\\\\w:rest')).toEqual(['h:x', '5432', 'db', 'u', 'p\\w:rest'])
    expect(parsePassFileLine('# h:1:d:u:p')).toBeUndefined()
    expect(parsePassFileLine('too:few')).toBeUndefined()
  })

  it('returns the first line that matches, with * wildcards', () => {
    const file = 'other:*:*:*:no\nlocalhost:5432:replication:rep:first\n*:*:*:rep:second\n'
    expect(lookupPassFile(file, { host: 'localhost', port: '5432', database: 'replication', user: 'rep' })).toBe('first')
    expect(lookupPassFile(file, { host: 'db1', port: '6000', database: 'x', user: 'rep' })).toBe('second')
    expect(lookupPassFile(file, { host: 'db1', port: '6000', database: 'x', user: 'nobody' })).toBeUndefined()
  })
})

describe('server version and LSNs', () => {
  it('reads the PostgreSQL major and refuses versions before 13', () => {
    expect(serverInfo('postgresql', '13.15 (Debian 13.15-1)', 0).major).toBe(13)
    expect(serverInfo('postgresql', '18beta1', 2).major).toBe(18)
    expect(() => serverInfo('postgresql', '12.20', 0)).toThrow(UnsupportedServerError)
    expect(() => serverInfo('postgresql', '12.20', 0)).toThrow(/needs PostgreSQL 13 or newer/)
    expect(serverInfo('opengauss', '9.2.4', 51)).toEqual({ flavor: 'opengauss', major: 9, version: '9.2.4', protocolMinor: 51 })
  })

  it('round-trips LSNs', () => {
    expect(formatLsn(parseLsn('16/B374D848'))).toBe('16/B374D848')
    expect(parseLsn('0/0')).toBe(0n)
    expect(() => parseLsn('16-B3')).toThrow()
  })
})
