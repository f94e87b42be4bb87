import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeTlsFiles, scratchDir, startCluster, testMajors, type Cluster } from '@tidemark/test-fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type ConnectOptions, type Connection } from './index.js'

type HbaMethod = 'trust' | 'password' | 'md5' | 'scram-sha-256'

async function setHba(cluster: Cluster, method: HbaMethod, connectionType: 'host' | 'hostssl' = 'host'): Promise<void> {
  const lines = [
    'hostssl all certuser 127.0.0.1/32 cert',
    'hostssl replication certuser 127.0.0.1/32 cert',
    `${connectionType} all all 127.0.0.1/32 ${method}`,
    `${connectionType} replication all 127.0.0.1/32 ${method}`,
    // The fixture's own queries go over the socket.
    'local all postgres scram-sha-256',
  ]
  writeFileSync(join(cluster.dataDir, 'pg_hba.conf'), `${lines.join('\n')}\n`)
  await cluster.query('SELECT pg_reload_conf()')
  // The postmaster re-reads pg_hba.conf on SIGHUP, asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 300))
}

async function sslInUse(connection: Connection): Promise<boolean> {
  const [result] = await connection.query('SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()')
  return result?.rows[0]?.[0] === 'true'
}

for (const major of testMajors()) {
  describe(`authentication and TLS on PostgreSQL ${major}`, () => {
    let cluster: Cluster
    const base = (): ConnectOptions => ({ host: cluster.host, port: cluster.port, database: 'postgres', sslmode: 'disable', env: {} })
    beforeAll(async () => {
      cluster = await startCluster({ major, auth: 'scram-sha-256', password: 'scram-Pw', tls: true })
      await cluster.query(`SET password_encryption = 'md5'; CREATE ROLE md5user LOGIN REPLICATION PASSWORD 'md5-Pw'`)
    })
    afterAll(async () => {
      await cluster?.stop({ mode: 'immediate' })
    })

    const cases: Array<{ method: HbaMethod; user: string; password: string }> = [
      { method: 'password', user: 'postgres', password: 'scram-Pw' },
      { method: 'md5', user: 'md5user', password: 'md5-Pw' },
      { method: 'scram-sha-256', user: 'postgres', password: 'scram-Pw' },
    ]
    for (const { method, user, password } of cases) {
      it(`logs in with ${method} and the right password, refuses the wrong one with 28P01 and no secret`, async () => {
        await setHba(cluster, method)
        const connection = await connect({ ...base(), user, password })
        expect((await connection.query('SELECT current_user'))[0]?.rows).toEqual([[user]])
        await connection.close()
        const replication = await connect({ ...base(), user, password, replication: true })
        expect((await replication.identifySystem()).timeline).toBe(1)
        await replication.close()
        const error = await connect({ ...base(), user, password: 'Wrong-Pw-42' }).catch((caught: unknown) => caught)
        expect(error).toMatchObject({ code: 'TIDEMARK_ERR_WIRE_AUTH', sqlState: '28P01' })
        expect((error as Error).message).toContain(`password authentication failed for user "${user}"`)
        expect((error as Error).message).not.toContain('Wrong-Pw-42')
        // No password at all and no prompt (-w): a usage error, before any exchange.
        await expect(connect({ ...base(), user })).rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_PASSWORD_REQUIRED' })
        // The -W prompt supplies it.
        const prompted = await connect({ ...base(), user, passwordCallback: async () => password })
        await prompted.close()
      })
    }

    it('logs in with trust without asking for a password', async () => {
      await setHba(cluster, 'trust')
      const connection = await connect({ ...base(), user: 'postgres', passwordCallback: () => {
        throw new Error('must not prompt')
      } })
      await connection.close()
    })

    it('takes the password from a 0600 .pgpass and ignores a group-readable one', async () => {
      await setHba(cluster, 'scram-sha-256')
      const dir = scratchDir('pgpass')
      const passfile = join(dir, 'pgpass')
      writeFileSync(passfile, `# comment\nother:*:*:*:nope\n127.0.0.1:${cluster.port}:replication:postgres:scram-Pw\n`, { mode: 0o600 })
      const connection = await connect({ ...base(), user: 'postgres', replication: true, env: { PGPASSFILE: passfile } })
      await connection.close()
      chmodSync(passfile, 0o640)
      const warnings: string[] = []
      await expect(connect({ ...base(), user: 'postgres', replication: true, env: { PGPASSFILE: passfile }, onWarning: (w) => warnings.push(w) }))
        .rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_PASSWORD_REQUIRED' })
      expect(warnings.join('\n')).toContain('group or world access')
    })

    it('reads host, port, user, password and sslmode from the environment and a URI', async () => {
      await setHba(cluster, 'scram-sha-256')
      const fromEnv = await connect({ env: { PGHOST: cluster.host, PGPORT: String(cluster.port), PGUSER: 'postgres', PGPASSWORD: 'scram-Pw', PGDATABASE: 'postgres', PGSSLMODE: 'disable', PGAPPNAME: 'env-app' } })
      expect((await fromEnv.query(`SELECT current_setting('application_name')`))[0]?.rows).toEqual([['env-app']])
      await fromEnv.close()
      const fromUri = await connect({ connectionString: `postgresql://postgres:scram-Pw@${cluster.host}:${cluster.port}/postgres?sslmode=require&application_name=uri-app`, env: {} })
      expect(await sslInUse(fromUri)).toBe(true)
      await fromUri.close()
    })

    it('verifies the server with verify-full against the fixture CA, and fails against another CA', async () => {
      await setHba(cluster, 'scram-sha-256', 'hostssl')
      const tls = cluster.tls
      if (!tls) {
        throw new Error('the fixture made no TLS files')
      }
      for (const host of ['localhost', '127.0.0.1']) {
        const connection = await connect({ ...base(), host, user: 'postgres', password: 'scram-Pw', sslmode: 'verify-full', sslrootcert: tls.caCert })
        expect(await sslInUse(connection)).toBe(true)
        await connection.close()
      }
      const otherCa = makeTlsFiles(scratchDir('other-ca')).caCert
      await expect(connect({ ...base(), user: 'postgres', password: 'scram-Pw', sslmode: 'verify-ca', sslrootcert: otherCa }))
        .rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_TLS' })
      // Plain TCP is refused by hostssl-only rules; sslmode=allow retries with TLS.
      await expect(connect({ ...base(), user: 'postgres', password: 'scram-Pw', sslmode: 'disable' }))
        .rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_AUTH', sqlState: '28000' })
      const allowed = await connect({ ...base(), user: 'postgres', password: 'scram-Pw', sslmode: 'allow', sslrootcert: join(scratchDir('none'), 'absent.crt') })
      expect(await sslInUse(allowed)).toBe(true)
      await allowed.close()
    })

    it('uses SCRAM-SHA-256-PLUS channel binding over TLS, and refuses channel_binding=require without TLS', async () => {
      await setHba(cluster, 'scram-sha-256')
      const tls = cluster.tls as NonNullable<Cluster['tls']>
      const connection = await connect({ ...base(), user: 'postgres', password: 'scram-Pw', sslmode: 'verify-full', sslrootcert: tls.caCert, channelBinding: 'require', replication: true })
      expect((await connection.identifySystem()).timeline).toBe(1)
      await connection.close()
      const wrong = await connect({ ...base(), user: 'postgres', password: 'nope-Pw', sslmode: 'require', channelBinding: 'require' }).catch((caught: unknown) => caught)
      expect(wrong).toMatchObject({ code: 'TIDEMARK_ERR_WIRE_AUTH', sqlState: '28P01' })
      await expect(connect({ ...base(), user: 'postgres', password: 'scram-Pw', sslmode: 'disable', channelBinding: 'require' }))
        .rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_CHANNEL_BINDING' })
    })

    it('logs in certuser with the fixture client certificate', async () => {
      const tls = cluster.tls as NonNullable<Cluster['tls']>
      const connection = await connect({ ...base(), user: 'certuser', sslmode: 'verify-full', sslrootcert: tls.caCert, sslcert: tls.clientCert, sslkey: tls.clientKey, replication: true })
      expect((await connection.identifySystem()).timeline).toBe(1)
      await connection.close()
      await expect(connect({ ...base(), user: 'certuser', sslmode: 'verify-full', sslrootcert: tls.caCert, sslcert: '/nonexistent.crt' }))
        .rejects.toMatchObject({ code: expect.stringMatching(/TIDEMARK_ERR_WIRE_(AUTH|PASSWORD_REQUIRED)/) })
    })
  })
}

describe('sslmode=require against a server without TLS', () => {
  it('fails with TlsError', async () => {
    const [major] = testMajors()
    const cluster = await startCluster({ major: major ?? 13 })
    try {
      await expect(connect({ host: cluster.host, port: cluster.port, user: 'postgres', sslmode: 'require', env: {} }))
        .rejects.toMatchObject({ code: 'TIDEMARK_ERR_WIRE_TLS' })
      const preferred = await connect({ host: cluster.host, port: cluster.port, user: 'postgres', database: 'postgres', sslmode: 'prefer', env: {} })
      await preferred.close()
    } finally {
      await cluster.stop({ mode: 'immediate' })
    }
  })
})
