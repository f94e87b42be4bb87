import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from './free-port.js'
import { serverOsUser, type OsUser } from './os-user.js'
import { embeddedBinDir, type PgMajor } from './pg-binaries.js'
import { killPostmaster, livePostmasterPid, scratchDir } from './run-dir.js'
import { chownTree, runAs, runAsOrThrow, type CommandResult } from './server-process.js'
import { makeTlsFiles, type TlsFiles } from './tls.js'

export type AuthMethod = 'trust' | 'md5' | 'scram-sha-256'

export interface ClusterOptions {
  readonly major: PgMajor
  /** Authentication for every connection, local and TCP, normal and replication. Default trust. */
  readonly auth?: AuthMethod
  /** The superuser's password (default 'secret'); the superuser is always `postgres`. */
  readonly password?: string
  /** Sets archive_mode = on and this archive_command. */
  readonly archiveCommand?: string
  /** Extra postgresql.conf lines, appended last so they win. */
  readonly conf?: readonly string[]
  /** Tablespaces to create, each in its own directory outside the data directory. */
  readonly tablespaces?: readonly string[]
  /** Turns on ssl with a fixture-made CA, server and client certificate. */
  readonly tls?: boolean
}

export interface TablespaceInfo {
  readonly name: string
  readonly location: string
}

export interface Cluster {
  readonly major: PgMajor
  readonly port: number
  readonly host: '127.0.0.1'
  readonly socketDir: string
  readonly dataDir: string
  /** The cluster's own directory: data, socket, tablespaces and logs live under it. */
  readonly baseDir: string
  readonly user: 'postgres'
  readonly password: string
  readonly osUser: OsUser
  readonly binDir: string
  readonly tablespaces: readonly TablespaceInfo[]
  readonly tls: TlsFiles | undefined
  readonly logFile: string
  /** Runs SQL as the superuser over the Unix socket and returns the rows. */
  query<Row extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>
  /** Runs a server binary (pg_ctl, initdb, postgres…) of this major as the server's OS user. */
  run(binary: string, args: readonly string[]): Promise<CommandResult>
  /** Appends to the server log's tail, for failure messages. */
  logTail(lines?: number): string
  stop(options?: { mode?: 'fast' | 'immediate'; keepFiles?: boolean }): Promise<void>
  start(): Promise<void>
  /** The postmaster pid while running. */
  pid(): number | undefined
}

class RunningCluster implements Cluster {
  readonly host = '127.0.0.1' as const
  readonly user = 'postgres' as const
  readonly binDir: string
  readonly logFile: string

  constructor(
    readonly major: PgMajor,
    readonly port: number,
    readonly baseDir: string,
    readonly dataDir: string,
    readonly socketDir: string,
    readonly password: string,
    readonly osUser: OsUser,
    readonly tablespaces: readonly TablespaceInfo[],
    readonly tls: TlsFiles | undefined
  ) {
    this.binDir = embeddedBinDir(major)
    this.logFile = join(baseDir, 'server.log')
  }

  async query<Row extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]> {
    const client = new pg.Client({
      host: this.socketDir,
      port: this.port,
      user: this.user,
      password: this.password,
      database: 'postgres',
    })
    await client.connect()
    try {
      const result = await client.query<Row>(sql, params)
      return result.rows
    } finally {
      await client.end()
    }
  }

  run(binary: string, args: readonly string[]): Promise<CommandResult> {
    return runAs(this.osUser, join(this.binDir, binary), args, { env: libraryEnv(this.binDir) })
  }

  logTail(lines = 30): string {
    if (!existsSync(this.logFile)) {
      return ''
    }
    return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n')
  }

  pid(): number | undefined {
    return livePostmasterPid(this.dataDir)
  }

  async start(): Promise<void> {
    chownTree(this.baseDir, this.osUser)
    chmodSync(this.dataDir, 0o700)
    const result = await this.run('pg_ctl', [
      'start', '-w', '-t', '120', '-D', this.dataDir, '-l', this.logFile,
      '-o', `-p ${this.port} -k ${this.socketDir} -c listen_addresses=127.0.0.1`,
    ])
    if (result.code !== 0) {
      throw new Error(`PostgreSQL ${this.major} did not start: ${result.stderr.trim()}\n${this.logTail()}`)
    }
  }

  async stop(options: { mode?: 'fast' | 'immediate'; keepFiles?: boolean } = {}): Promise<void> {
    const pid = this.pid()
    if (pid) {
      const result = await this.run('pg_ctl', ['stop', '-w', '-t', '60', '-m', options.mode ?? 'fast', '-D', this.dataDir])
      if (result.code !== 0 && this.pid()) {
        await killPostmaster(pid)
      }
    }
    if (!options.keepFiles) {
      rmSync(this.baseDir, { recursive: true, force: true })
    }
  }
}

/** The embedded binaries find their own shared libraries through LD_LIBRARY_PATH. */
function libraryEnv(binDir: string): NodeJS.ProcessEnv {
  const lib = join(binDir, '..', 'lib')
  return { LD_LIBRARY_PATH: [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') }
}

function hbaLines(auth: AuthMethod, tls: boolean): string {
  const lines = [
    `local all all ${auth}`,
    `local replication all ${auth}`,
    `host all all 127.0.0.1/32 ${auth}`,
    `host replication all 127.0.0.1/32 ${auth}`,
    `host all all ::1/128 ${auth}`,
    `host replication all ::1/128 ${auth}`,
  ]
  if (tls) {
    // Client-certificate logins for the TLS tests: a user named like the certificate's CN.
    lines.unshift('hostssl all certuser 127.0.0.1/32 cert', 'hostssl replication certuser 127.0.0.1/32 cert')
  }
  return `${lines.join('\n')}\n`
}

function serverConf(options: ClusterOptions, auth: AuthMethod, tls: TlsFiles | undefined): string[] {
  const lines = [
    `wal_level = replica`,
    `max_wal_senders = 10`,
    `max_replication_slots = 10`,
    `shared_buffers = 32MB`,
    `max_connections = 30`,
    // Test servers are thrown away: no need to wait for the disk.
    `fsync = off`,
    `synchronous_commit = off`,
    `password_encryption = '${auth === 'md5' ? 'md5' : 'scram-sha-256'}'`,
    `log_min_messages = warning`,
    `timezone = 'UTC'`,
    `log_timezone = 'UTC'`,
  ]
  if (options.archiveCommand) {
    // postgresql.conf strings: a backslash escapes, a quote doubles.
    const quoted = options.archiveCommand.replaceAll('\\', '\\\\').replaceAll("'", "''")
    lines.push(`archive_mode = on`, `archive_command = '${quoted}'`, `archive_timeout = 0`)
  }
  if (tls) {
    lines.push(`ssl = on`, `ssl_cert_file = '${tls.serverCert}'`, `ssl_key_file = '${tls.serverKey}'`, `ssl_ca_file = '${tls.caCert}'`)
  }
  return [...lines, ...(options.conf ?? [])]
}

const clustersStarted = new Set<Cluster>()

/** A fresh cluster of one major: initdb with data checksums, replication allowed, started and answering. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const osUser = serverOsUser()
  const auth = options.auth ?? 'trust'
  const password = options.password ?? 'secret'
  const baseDir = scratchDir(`pg${options.major}`)
  const dataDir = join(baseDir, 'data')
  const socketDir = join(baseDir, 'sock')
  mkdirSync(socketDir, { mode: 0o755 })
  const pwFile = join(baseDir, 'pwfile')
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 })
  let tls: TlsFiles | undefined
  if (options.tls) {
    const tlsDir = join(baseDir, 'tls')
    mkdirSync(tlsDir)
    tls = makeTlsFiles(tlsDir, 'certuser')
    chmodSync(tls.serverKey, 0o600)
  }
  const tablespaces = (options.tablespaces ?? []).map((name) => {
    const location = join(baseDir, `tablespace-${name}`)
    mkdirSync(location, { mode: 0o700 })
    return { name, location }
  })
  chownTree(baseDir, osUser)
  const binDir = embeddedBinDir(options.major)
  const initdbArgs = ['-D', dataDir, '-U', 'postgres', '--pwfile', pwFile, '--auth-local', auth, '--auth-host', auth,
    '--data-checksums', '-E', 'UTF8', '--locale', 'C', '--no-sync']
  await runAsOrThrow(osUser, join(binDir, 'initdb'), initdbArgs, { env: libraryEnv(binDir) })
  rmSync(pwFile)
  writeFileSync(join(dataDir, 'pg_hba.conf'), hbaLines(auth, tls !== undefined))
  const initialConf = readFileSync(join(dataDir, 'postgresql.conf'), 'utf8')
  const conf = serverConf(options, auth, tls).join('\n')
  const cluster = await startOnFreePort((port) => {
    // Written to the file too, so any later start of this data directory (by pg_ctl in a test of
    // restore, say) finds the same socket directory and port.
    const where = `port = ${port}\nunix_socket_directories = '${socketDir}'\nlisten_addresses = '127.0.0.1'`
    writeFileSync(join(dataDir, 'postgresql.conf'), `${initialConf}\n# test-fixtures\n${where}\n${conf}\n`)
    return new RunningCluster(options.major, port, baseDir, dataDir, socketDir, password, osUser, tablespaces, tls)
  })
  for (const tablespace of tablespaces) {
    await cluster.query(`CREATE TABLESPACE ${tablespace.name} LOCATION '${tablespace.location}'`)
  }
  if (tls) {
    await cluster.query(`CREATE ROLE certuser LOGIN REPLICATION SUPERUSER`)
  }
  return cluster
}

export interface ExistingClusterOptions {
  readonly major: PgMajor
  /** A data directory to run as it is: a restored backup, say. It is re-owned by the server's OS user. */
  readonly dataDir: string
  /** Superuser password used by `query` (default 'secret'). */
  readonly password?: string
  /** Extra postgresql.auto.conf-like settings passed on the command line. */
  readonly conf?: readonly string[]
  /** Remove the data directory on stop (default false: it belongs to the test). */
  readonly removeOnStop?: boolean
}

/**
 * Starts a server on an existing data directory. Its socket and log live in a fresh scratch
 * directory; with `removeOnStop` false the data directory survives `stop()`.
 */
export async function startExistingCluster(options: ExistingClusterOptions): Promise<Cluster> {
  const osUser = serverOsUser()
  const baseDir = scratchDir(`existing-pg${options.major}`)
  const socketDir = join(baseDir, 'sock')
  mkdirSync(socketDir, { mode: 0o755 })
  chownTree(options.dataDir, osUser)
  chownTree(baseDir, osUser)
  rmSync(join(options.dataDir, 'postmaster.pid'), { force: true })
  if (options.conf?.length) {
    appendFileSync(join(options.dataDir, 'postgresql.conf'), `\n# test-fixtures\n${options.conf.join('\n')}\n`)
  }
  const cluster = await startOnFreePort((port) => {
    const running = new RunningCluster(options.major, port, baseDir, options.dataDir, socketDir,
      options.password ?? 'secret', osUser, [], undefined)
    const stop = running.stop.bind(running)
    running.stop = async (stopOptions = {}) => {
      await stop({ ...stopOptions, keepFiles: true })
      if (!stopOptions.keepFiles) {
        rmSync(baseDir, { recursive: true, force: true })
        if (options.removeOnStop) {
          rmSync(options.dataDir, { recursive: true, force: true })
        }
      }
    }
    return running
  })
  return cluster
}

async function startOnFreePort(make: (port: number) => RunningCluster): Promise<Cluster> {
  let lastError: unknown
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const cluster = make(await freePort())
    try {
      await cluster.start()
      clustersStarted.add(cluster)
      return cluster
    } catch (error) {
      lastError = error
      // Another process took the port between freePort() and bind: try another one.
      if (!String(error).includes('could not bind')) {
        break
      }
    }
  }
  throw lastError
}

/** Runs fn with a fresh cluster and always stops and removes it, even when fn throws. */
export async function withCluster<T>(options: ClusterOptions, fn: (cluster: Cluster) => Promise<T>): Promise<T> {
  const cluster = await startCluster(options)
  try {
    return await fn(cluster)
  } finally {
    await cluster.stop({ mode: 'immediate' })
  }
}

/** Stops every cluster this process started and has not stopped: for afterAll hooks. */
export async function stopAllClusters(): Promise<void> {
  for (const cluster of clustersStarted) {
    clustersStarted.delete(cluster)
    await cluster.stop({ mode: 'immediate' })
  }
}

/** Copies a file into a cluster-owned place (e.g. a WAL segment into pg_wal) and re-owns it. */
export function copyAsServer(from: string, to: string, user: OsUser = serverOsUser()): void {
  copyFileSync(from, to)
  chownTree(to, user)
}
