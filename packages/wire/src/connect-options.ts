// Resolves what to connect to, the way libpq does: explicit options, then the connection string,
// then the PG* environment, then defaults.
import { existsSync } from 'node:fs'
import { homedir, userInfo } from 'node:os'
import { join } from 'node:path'
import { parseConnInfo } from './conninfo.js'
import { ConnInfoError } from './errors.js'

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full'
export type ChannelBindingMode = 'disable' | 'prefer' | 'require'
/** Which server the caller expects; 'auto' detects it at startup. */
export type FlavorChoice = 'auto' | 'postgresql' | 'opengauss'

const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']
const CHANNEL_BINDING_MODES: readonly ChannelBindingMode[] = ['disable', 'prefer', 'require']
const DEFAULT_PORT = 5432
const DEFAULT_SOCKET_DIRS = ['/var/run/postgresql', '/tmp']
const MIN_CONNECT_TIMEOUT_SECONDS = 2
const MAX_PORT = 65535

/** Options a caller (a CLI flag) can give; each overrides the connection string and the environment. */
export interface ConnectionParameters {
  /** A `key=value` conninfo string or a postgresql:// URI. */
  readonly connectionString?: string
  readonly host?: string
  readonly port?: number
  readonly user?: string
  readonly password?: string
  readonly database?: string
  readonly applicationName?: string
  readonly fallbackApplicationName?: string
  readonly sslmode?: SslMode
  readonly sslrootcert?: string
  readonly sslcert?: string
  readonly sslkey?: string
  readonly channelBinding?: ChannelBindingMode
  readonly connectTimeoutSeconds?: number
  readonly passfile?: string
  /** The environment to read PG* variables from (default process.env). */
  readonly env?: NodeJS.ProcessEnv
}

export interface HostTarget {
  /** A host name or address, or a Unix socket directory (starts with '/'). */
  readonly host: string
  readonly port: number
}

export interface ResolvedParameters {
  readonly targets: readonly HostTarget[]
  readonly user: string
  readonly database: string
  readonly password: string | undefined
  readonly passfile: string
  readonly applicationName: string | undefined
  readonly sslmode: SslMode
  readonly sslrootcert: string
  readonly sslcert: string
  readonly sslkey: string
  readonly channelBinding: ChannelBindingMode
  readonly connectTimeoutMs: number | undefined
}

/** True for a host that names a Unix socket directory. */
export function isSocketDirectory(host: string): boolean {
  return host.startsWith('/')
}

function parsePort(text: string): number {
  const port = Number(text)
  if (!/^\d+$/.test(text) || port < 1 || port > MAX_PORT) {
    throw new ConnInfoError(`invalid port number "${text.slice(0, 20)}"`)
  }
  return port
}

function defaultSocketDir(): string {
  return DEFAULT_SOCKET_DIRS.find((dir) => existsSync(dir)) ?? '/tmp'
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

/** Resolves the parameters; throws ConnInfoError for bad input. Reads no file. */
export function resolveParameters(options: ConnectionParameters): ResolvedParameters {
  const env = options.env ?? process.env
  const info = options.connectionString !== undefined ? parseConnInfo(options.connectionString) : {}
  const pick = (option: string | undefined, key: string, envName: string): string | undefined =>
    nonEmpty(option) ?? nonEmpty(info[key]) ?? nonEmpty(env[envName])

  const hostText = pick(options.host, 'host', 'PGHOST') ?? nonEmpty(info.hostaddr) ?? nonEmpty(env.PGHOSTADDR) ?? defaultSocketDir()
  const portText = (options.port !== undefined ? String(options.port) : undefined) ?? pick(undefined, 'port', 'PGPORT')
  const hosts = hostText.split(',')
  const ports = portText === undefined ? [] : portText.split(',')
  if (ports.length > 1 && ports.length !== hosts.length) {
    throw new ConnInfoError(`could not match ${ports.length} port numbers to ${hosts.length} hosts`)
  }
  const targets = hosts.map((host, index) => {
    const port = ports.length === 0 ? DEFAULT_PORT : parsePort((ports.length === 1 ? ports[0] : ports[index]) as string)
    return { host: host === '' ? defaultSocketDir() : host, port }
  })

  const user = pick(options.user, 'user', 'PGUSER') ?? userInfo().username
  const sslmodeText = pick(options.sslmode, 'sslmode', 'PGSSLMODE') ?? 'prefer'
  if (!(SSL_MODES as readonly string[]).includes(sslmodeText)) {
    throw new ConnInfoError(`invalid sslmode value "${sslmodeText.slice(0, 20)}"`)
  }
  const bindingText = pick(options.channelBinding, 'channel_binding', 'PGCHANNELBINDING') ?? 'prefer'
  if (!(CHANNEL_BINDING_MODES as readonly string[]).includes(bindingText)) {
    throw new ConnInfoError(`invalid channel_binding value "${bindingText.slice(0, 20)}"`)
  }
  const timeoutText =
    (options.connectTimeoutSeconds !== undefined ? String(options.connectTimeoutSeconds) : undefined) ??
    pick(undefined, 'connect_timeout', 'PGCONNECT_TIMEOUT')
  let connectTimeoutMs: number | undefined
  if (timeoutText !== undefined) {
    const seconds = Number(timeoutText)
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new ConnInfoError(`invalid connect_timeout value "${timeoutText.slice(0, 20)}"`)
    }
    // libpq: 0 means wait forever, and anything shorter than 2 s is raised to 2 s.
    connectTimeoutMs = seconds === 0 ? undefined : Math.max(seconds, MIN_CONNECT_TIMEOUT_SECONDS) * 1000
  }
  const postgresDir = join(homedir(), '.postgresql')
  return {
    targets,
    user,
    database: pick(options.database, 'dbname', 'PGDATABASE') ?? user,
    password: options.password ?? info.password ?? nonEmpty(env.PGPASSWORD),
    passfile: pick(options.passfile, 'passfile', 'PGPASSFILE') ?? join(homedir(), '.pgpass'),
    applicationName:
      pick(options.applicationName, 'application_name', 'PGAPPNAME') ??
      nonEmpty(options.fallbackApplicationName) ??
      nonEmpty(info.fallback_application_name),
    sslmode: sslmodeText as SslMode,
    sslrootcert: pick(options.sslrootcert, 'sslrootcert', 'PGSSLROOTCERT') ?? join(postgresDir, 'root.crt'),
    sslcert: pick(options.sslcert, 'sslcert', 'PGSSLCERT') ?? join(postgresDir, 'postgresql.crt'),
    sslkey: pick(options.sslkey, 'sslkey', 'PGSSLKEY') ?? join(postgresDir, 'postgresql.key'),
    channelBinding: bindingText as ChannelBindingMode,
    connectTimeoutMs,
  }
}
