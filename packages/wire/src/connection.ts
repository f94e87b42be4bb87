// connect() and the Connection every command runs on.
import { authenticate, type ServerFlavor } from './auth/authenticate.js'
import {
  isSocketDirectory,
  resolveParameters,
  type ConnectionParameters,
  type FlavorChoice,
  type HostTarget,
  type ResolvedParameters,
} from './connect-options.js'
import {
  AuthenticationError,
  ConnectError,
  PasswordRequiredError,
  TlsError,
  UnsupportedFeatureError,
  type ServerMessageFields,
} from './errors.js'
import { frontend, startupMessage } from './frontend-message.js'
import { MessagePump } from './message-pump.js'
import { passwordFromFile } from './pgpass.js'
import { readResults, type QueryResult } from './query-result.js'
import { serverInfo, type ServerInfo } from './server-info.js'
import { Session } from './session.js'
import type { BaseBackupOptions } from './replication/base-backup-command.js'
import { runBaseBackup, type BaseBackupEvent } from './replication/base-backup.js'
import { startReplication, type StartReplicationOptions, type WalStream } from './replication/wal-stream.js'
import { Deadline, describeTarget, openTransport } from './transport.js'
import {
  createSlotCommand,
  dropSlotCommand,
  identifySystemCommand,
  parseCreatedSlot,
  parseIdentifySystem,
  parseIdentifyVersion,
  parseReadSlot,
  parseTimelineHistory,
  readSlotCommand,
  timelineHistoryCommand,
  type CreatedSlot,
  type CreateSlotOptions,
  type ReplicationSlotInfo,
  type ServerVersionInfo,
  type SystemIdentity,
  type TimelineHistory,
} from './replication/commands.js'

/** openGauss's protocol: 3.51 (reference §1). */
export const OPENGAUSS_PROTOCOL_MINOR = 51
const POSTGRESQL_PROTOCOL_MINOR = 0
/** libpq matches a connection to the default socket directory as 'localhost' in .pgpass. */
const DEFAULT_SOCKET_DIRS = ['/tmp', '/var/run/postgresql']

export type ServerNotice = ServerMessageFields

export interface ConnectOptions extends ConnectionParameters {
  /** A physical replication connection (replication=true), for BASE_BACKUP and START_REPLICATION. */
  readonly replication?: boolean
  /** The expected server; 'auto' (default) detects openGauss from its startup answers. */
  readonly flavor?: FlavorChoice
  /**
   * Asked for the password when the server wants one and neither the options, PGPASSWORD nor the
   * password file have it (the CLI's -W prompt). Without it, no prompt ever happens (-w).
   */
  readonly passwordCallback?: () => Promise<string | undefined> | string | undefined
  /** NoticeResponse messages (WARNING, NOTICE, INFO…), whenever they arrive. */
  readonly onNotice?: (notice: ServerNotice) => void
  /** Client-side warnings, such as an unsafe password file. */
  readonly onWarning?: (message: string) => void
}

export class Connection {
  readonly #session: Session
  readonly #parameters: Map<string, string>

  /** @internal use connect() */
  constructor(session: Session, parameters: Map<string, string>) {
    this.#session = session
    this.#parameters = parameters
  }

  /** The server's flavor and version. */
  get server(): ServerInfo {
    return this.#session.server
  }

  /** ParameterStatus values the server reported (server_version, integer_datetimes…). */
  parameter(name: string): string | undefined {
    return this.#parameters.get(name)
  }

  get closed(): boolean {
    return this.#session.closed
  }

  /** Runs a simple query (one or more statements, or a replication command) and returns every result. */
  async query(sql: string): Promise<QueryResult[]> {
    const release = this.#session.acquire('a query')
    try {
      this.#session.write(frontend.query(sql))
      const { results } = await readResults(this.#session.pump, false)
      return results
    } finally {
      release()
    }
  }

  /** IDENTIFY_SYSTEM: system identifier, current timeline and WAL position. */
  async identifySystem(): Promise<SystemIdentity> {
    return parseIdentifySystem(await this.query(identifySystemCommand()))
  }

  /** TIMELINE_HISTORY: the history file of a timeline (PostgreSQL only). */
  async timelineHistory(timeline: number): Promise<TimelineHistory> {
    return parseTimelineHistory(await this.query(timelineHistoryCommand(this.server, timeline)))
  }

  /** CREATE_REPLICATION_SLOT … PHYSICAL, in the syntax of the server's version. */
  async createReplicationSlot(name: string, options: CreateSlotOptions = {}): Promise<CreatedSlot> {
    return parseCreatedSlot(await this.query(createSlotCommand(this.server, name, options)))
  }

  /** DROP_REPLICATION_SLOT, optionally waiting while the slot is active. */
  async dropReplicationSlot(name: string, options: { wait?: boolean } = {}): Promise<void> {
    await this.query(dropSlotCommand(name, options.wait ?? false))
  }

  /** READ_REPLICATION_SLOT (PostgreSQL 15+): `undefined` when the slot does not exist. */
  async readReplicationSlot(name: string): Promise<ReplicationSlotInfo | undefined> {
    return parseReadSlot(await this.query(readSlotCommand(this.server, name)))
  }

  /** IDENTIFY_VERSION (openGauss only). */
  async identifyVersion(): Promise<ServerVersionInfo> {
    if (this.server.flavor !== 'opengauss') {
      throw new UnsupportedFeatureError('IDENTIFY_VERSION exists only on openGauss')
    }
    return parseIdentifyVersion(await this.query('IDENTIFY_VERSION'))
  }

  /**
   * BASE_BACKUP in the server's dialect, as events: start, then each archive (and the manifest) with
   * a Readable to read to its end before asking for the next event, progress, and end.
   */
  baseBackup(options: BaseBackupOptions = {}): AsyncGenerator<BaseBackupEvent, void, undefined> {
    return runBaseBackup(this.#session, options)
  }

  /**
   * START_REPLICATION (physical) from `startLsn`, optionally on a timeline and through a slot. The
   * returned stream is iterated for WAL; call `acknowledge(lsn)` as WAL becomes durable, `stop()` to end.
   */
  startReplication(options: StartReplicationOptions): Promise<WalStream> {
    return startReplication(this.#session, options)
  }

  /** Sends Terminate and closes. Safe to call twice. */
  close(): Promise<void> {
    return this.#session.close()
  }
}

function passwordSource(params: ResolvedParameters, target: HostTarget, options: ConnectOptions): () => Promise<string> {
  let cached: string | undefined
  const warn = options.onWarning ?? ((): void => undefined)
  return async () => {
    if (cached !== undefined) {
      return cached
    }
    let password = params.password
    if (password === undefined) {
      const host = isSocketDirectory(target.host) && DEFAULT_SOCKET_DIRS.includes(target.host) ? 'localhost' : target.host
      password = passwordFromFile(params.passfile, {
        host,
        port: String(target.port),
        database: options.replication ? 'replication' : params.database,
        user: params.user,
      }, warn)
    }
    if (password === undefined && options.passwordCallback) {
      password = await options.passwordCallback()
    }
    if (password === undefined) {
      throw new PasswordRequiredError(params.user)
    }
    cached = password
    return password
  }
}

async function attempt(params: ResolvedParameters, target: HostTarget, useTls: boolean, options: ConnectOptions): Promise<Connection> {
  const deadline = new Deadline(params.connectTimeoutMs)
  const transport = await openTransport(target, params, useTls, deadline)
  const parameters = new Map<string, string>()
  const notice = options.onNotice ?? ((): void => undefined)
  const pump = new MessagePump(transport.socket, {
    onNotice: notice,
    onParameter: (name, value) => parameters.set(name, value),
  }, transport.reads)
  const flavorHint: ServerFlavor | 'auto' = options.flavor ?? 'auto'
  const requestedMinor = flavorHint === 'postgresql' ? POSTGRESQL_PROTOCOL_MINOR : OPENGAUSS_PROTOCOL_MINOR
  const startup: Record<string, string> = { user: params.user }
  if (options.replication) {
    startup.database = 'replication'
    startup.replication = 'true'
  } else {
    startup.database = params.database
    startup.client_encoding = 'UTF8'
  }
  if (params.applicationName !== undefined) {
    startup.application_name = params.applicationName
  }
  let timedOut = false
  const cancelTimeout = deadline.onExpire(() => {
    timedOut = true
    transport.socket.destroy()
  })
  try {
    transport.socket.write(startupMessage(startup, requestedMinor))
    const outcome = await authenticate({
      pump,
      write: (data) => transport.socket.write(data),
      user: params.user,
      tls: transport.tls,
      channelBinding: params.channelBinding,
      requestedMinor,
      flavorHint,
      password: passwordSource(params, target, options),
    })
    const info = serverInfo(outcome.flavor, parameters.get('server_version'), outcome.protocolMinor)
    return new Connection(new Session(transport.socket, pump, info), parameters)
  } catch (error) {
    transport.socket.destroy()
    if (timedOut) {
      throw new ConnectError(`connection to ${describeTarget(target)} timed out during startup`, { cause: error })
    }
    throw error
  } finally {
    cancelTimeout()
  }
}

/**
 * Connects like libpq: options, then the connection string, then PG* variables, then defaults;
 * each host of a host list in turn; TLS per sslmode. Throws ConnInfoError, ConnectError, TlsError,
 * AuthenticationError, PasswordRequiredError, UnsupportedServerError or ServerError.
 */
export async function connect(options: ConnectOptions = {}): Promise<Connection> {
  const params = resolveParameters(options)
  let lastError: unknown
  for (const target of params.targets) {
    // allow: plain first, TLS when the server refuses plain; prefer: TLS first, plain when TLS fails.
    const tlsAttempts =
      params.sslmode === 'disable' ? [false]
        : params.sslmode === 'allow' ? [false, true]
          : params.sslmode === 'prefer' ? [true, false] : [true]
    for (const [index, useTls] of tlsAttempts.entries()) {
      try {
        return await attempt(params, target, useTls, options)
      } catch (error) {
        lastError = error
        const another = index + 1 < tlsAttempts.length
        const retryWithTls = another && params.sslmode === 'allow' && error instanceof AuthenticationError && error.sqlState === '28000'
        const retryPlain = another && params.sslmode === 'prefer' && error instanceof TlsError
        if (retryWithTls || retryPlain) {
          continue
        }
        if (error instanceof ConnectError) {
          break
        }
        throw error
      }
    }
  }
  throw lastError
}
