// One client connection: startup, authentication, then simple queries (ordinary connection) or
// replication commands (walsender), with BASE_BACKUP and START_REPLICATION streamed under
// backpressure and the configured faults injected.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Socket } from 'node:net'
import { md5Sha256Response, sha256ServerSignature, verifySha256Proof } from './auth.js'
import {
  authenticationMd5Sha256,
  authenticationOk,
  authenticationSha256,
  backendKeyData,
  commandComplete,
  copyBothResponse,
  copyData,
  errorResponse,
  int4Field,
  parameterStatus,
  readyForQuery,
  resultSet,
  textField,
} from './backend-messages.js'
import type { ErrorFields } from './backend-messages.js'
import { baseBackupReply } from './base-backup-reply.js'
import {
  OG_ACCEPTED_MINORS_OF_3,
  OG_AUTH_FAILED_MESSAGE,
  OG_AUTH_FAILED_SQLSTATE,
  OG_MAX_WAL_SEND_SIZE,
  OG_REPLICATION_PROTOCOL_NAME,
  OG_SERVER_VERSION_NUM,
  OG_WAL_SEGMENT_SIZE,
  OgDbState,
} from './constants.js'
import { bodyCString, FrontendParser } from './frontend-parser.js'
import type { FrontendMessage, StartupPacket } from './frontend-parser.js'
import { formatLsn, walSegmentName } from './lsn.js'
import { parseReplicationCommand, REPLICATION_PARSE_ERROR_MESSAGE, ReplicationSyntaxError } from './replication-command.js'
import type { BaseBackupOptions } from './replication-command.js'
import type { PortKind, SimulatorState } from './simulator-state.js'
import { answerSql } from './sql.js'
import { decodeStandbyReply, encodeKeepalive, encodeXLogData, pgTimestampNow } from './wal-messages.js'
import { readWal } from './wal-source.js'

const MESSAGE_HEADER = 5
const TRUE_VALUES = new Set(['true', 'on', 'yes', '1'])

export class Session {
  readonly #socket: Socket
  readonly #state: SimulatorState
  readonly #port: PortKind
  readonly #parser = new FrontendParser()
  readonly #inbox: FrontendMessage[] = []
  #waiter: (() => void) | undefined
  #closed = false
  #replication = false
  #applicationName = ''

  constructor(socket: Socket, state: SimulatorState, port: PortKind) {
    this.#socket = socket
    this.#state = state
    this.#port = port
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('close', () => {
      this.#closed = true
      this.#wake()
    })
    socket.on('error', () => {
      this.#closed = true
      this.#wake()
    })
    void this.#run().catch(() => {
      socket.destroy()
    })
  }

  #onData(chunk: Buffer): void {
    try {
      this.#inbox.push(...this.#parser.parse(chunk))
    } catch {
      this.#socket.destroy()
    }
    this.#wake()
  }

  #wake(): void {
    const waiter = this.#waiter
    this.#waiter = undefined
    waiter?.()
  }

  /** Waits for something to happen: a message, the close, or `timeoutMs`. */
  async #idle(timeoutMs?: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(resolve, timeoutMs)
      this.#waiter = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  async #next(): Promise<FrontendMessage | undefined> {
    for (;;) {
      const message = this.#inbox.shift()
      if (message) {
        return message
      }
      if (this.#closed) {
        return undefined
      }
      await this.#idle()
    }
  }

  /** Writes, waiting for 'drain' when the socket's buffer is full; false once the connection is gone. */
  async #send(...messages: Buffer[]): Promise<boolean> {
    if (this.#closed || this.#socket.destroyed) {
      return false
    }
    const data = messages.length === 1 ? (messages[0] ?? Buffer.alloc(0)) : Buffer.concat(messages)
    const flowing = this.#socket.write(data)
    this.#state.noteBuffered(this.#socket.writableLength)
    if (flowing) {
      return true
    }
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.#socket.off('drain', done)
        this.#socket.off('close', done)
        resolve()
      }
      this.#socket.on('drain', done)
      this.#socket.on('close', done)
    })
    return !this.#closed
  }

  async #fatal(fields: Omit<ErrorFields, 'severity'>): Promise<void> {
    await this.#send(errorResponse({ severity: 'FATAL', ...fields }))
    this.#socket.end()
    this.#closed = true
  }

  /**
   * An ERROR in a walsender: there is no error recovery there (PostgresMain sets up its sigsetjmp
   * only after WalSenderMain would have returned), so elog promotes it to FATAL and the session ends.
   */
  async #walsenderError(fields: Omit<ErrorFields, 'severity'>): Promise<false> {
    await this.#fatal(fields)
    return false
  }

  /** Stops answering: no more reads or writes until the simulator closes the socket. */
  async #stall(): Promise<void> {
    this.#socket.pause()
    while (!this.#closed) {
      await this.#idle()
    }
  }

  /** Sends `message` cut after `keep` payload bytes, then closes: a connection lost mid-message. */
  #dropAfter(message: Buffer, keep: number): void {
    this.#socket.end(message.subarray(0, MESSAGE_HEADER + keep))
    this.#closed = true
  }

  async #run(): Promise<void> {
    const startup = await this.#startup()
    if (!startup || !(await this.#authenticate(startup))) {
      return
    }
    await this.#commands()
  }

  async #startup(): Promise<StartupPacket | undefined> {
    for (;;) {
      const message = await this.#next()
      if (!message || message.name === 'cancelRequest' || message.name === 'typed') {
        this.#socket.destroy()
        return undefined
      }
      if (message.name === 'sslRequest' || message.name === 'gssEncRequest') {
        // No TLS in the simulator: 'N', and the client carries on in clear text.
        await this.#send(Buffer.from('N', 'latin1'))
        continue
      }
      this.#state.startups.push({ port: this.#port, protocol: message.protocol, parameters: message.parameters })
      const major = message.protocol >>> 16
      const minor = message.protocol & 0xffff
      if (major !== 3 || !OG_ACCEPTED_MINORS_OF_3.includes(minor)) {
        await this.#fatal({
          code: '0A000',
          message: `unsupported frontend protocol ${major}.${minor}.`,
          file: 'postmaster.cpp',
          routine: 'ProcessStartupPacket',
        })
        return undefined
      }
      const { user, replication, application_name: appName, fallback_application_name: fallback } = message.parameters
      if (!user) {
        await this.#fatal({ code: '28000', message: 'no PostgreSQL user name specified in startup packet' })
        return undefined
      }
      this.#applicationName = appName ?? fallback ?? ''
      if (replication !== undefined && replication !== '' && !['false', 'off', 'no', '0'].includes(replication)) {
        if (!TRUE_VALUES.has(replication)) {
          await this.#fatal({ code: '0A000', message: `the openGauss simulator supports only physical replication, not "${replication}"` })
          return undefined
        }
        this.#replication = true
        if (this.#port === 'main' && this.#state.options.requireHaPortForReplication) {
          await this.#fatal({ code: '22023', message: 'replication should connect HA port in thread_pool' })
          return undefined
        }
      }
      return message
    }
  }

  async #authFailed(): Promise<false> {
    await this.#fatal({
      code: OG_AUTH_FAILED_SQLSTATE,
      message: OG_AUTH_FAILED_MESSAGE,
      file: 'auth.cpp',
      routine: 'auth_failed',
    })
    return false
  }

  async #password(): Promise<string | undefined> {
    const message = await this.#next()
    if (message?.name !== 'typed' || message.code !== 'p') {
      // EOF or another message: the server logs and closes without a reply.
      this.#socket.destroy()
      return undefined
    }
    return bodyCString(message.body)
  }

  async #authenticate(startup: StartupPacket): Promise<boolean> {
    const { options } = this.#state
    const minor = startup.protocol & 0xffff
    const knownUser = startup.parameters.user === options.user
    if (options.auth !== 'trust') {
      // An unknown role still gets a (fake) salt and fails at the same place as a wrong password.
      const saltHex = knownUser ? options.saltHex : randomBytes(32).toString('hex')
      const secret = this.#state.secret
      if (options.auth === 'sha256') {
        const tokenHex = options.tokenHex ?? randomBytes(4).toString('hex')
        const request = authenticationSha256({
          protocolMinor: minor,
          saltHex,
          tokenHex,
          serverSignatureHex: sha256ServerSignature(secret, tokenHex),
          iterations: options.iterations,
        })
        if (!(await this.#send(request))) {
          return false
        }
        const proof = await this.#password()
        if (proof === undefined) {
          return false
        }
        if (!knownUser || this.#state.faults.rejectPassword || !verifySha256Proof(secret, tokenHex, proof)) {
          return this.#authFailed()
        }
      } else {
        const md5Salt = randomBytes(4)
        if (!(await this.#send(authenticationMd5Sha256(saltHex, md5Salt)))) {
          return false
        }
        const answer = await this.#password()
        if (answer === undefined) {
          return false
        }
        const expected = Buffer.from(md5Sha256Response(options.password, options.saltHex, md5Salt, options.iterations))
        const given = Buffer.from(answer)
        const matches = given.length === expected.length && timingSafeEqual(given, expected)
        if (!knownUser || this.#state.faults.rejectPassword || !matches) {
          return this.#authFailed()
        }
      }
    }
    const messages = [authenticationOk()]
    const parameters = { ...options.parameters, application_name: this.#applicationName }
    for (const [name, value] of Object.entries(parameters)) {
      messages.push(parameterStatus(name, value))
    }
    if (!this.#replication) {
      // A walsender returns before the backend sends its cancel key (postgres.cpp).
      messages.push(backendKeyData(this.#state.nextProcessId(), randomBytes(4).readInt32BE(0)))
    }
    messages.push(readyForQuery())
    return this.#send(...messages)
  }

  async #commands(): Promise<void> {
    for (;;) {
      const message = await this.#next()
      if (!message) {
        return
      }
      if (message.name !== 'typed' || message.code === 'X') {
        this.#socket.end()
        return
      }
      if (message.code !== 'Q') {
        await this.#fatal({ code: '08P01', message: `invalid frontend message type ${message.code.charCodeAt(0)}` })
        return
      }
      const text = bodyCString(message.body)
      this.#state.received.push({
        port: this.#port,
        replication: this.#replication,
        applicationName: this.#applicationName,
        text,
      })
      if (this.#state.faults.stallOnQuery?.test(text)) {
        await this.#stall()
        return
      }
      const goOn = this.#replication ? await this.#replicationCommand(text) : await this.#sql(text)
      if (!goOn) {
        return
      }
    }
  }

  async #sql(text: string): Promise<boolean> {
    const state = this.#state
    const messages = answerSql(text, {
      versionString: state.options.versionString,
      settings: state.options.settings,
      inRecovery: state.options.inRecovery,
      currentLsn: () => formatLsn(state.wal.flushLsn),
      switchXlog: () => {
        const at = state.wal.flushLsn
        const size = BigInt(OG_WAL_SEGMENT_SIZE)
        state.advanceWal((at / size + 1n) * size)
        return formatLsn(at)
      },
      createRestorePoint: () => formatLsn(state.wal.flushLsn),
    })
    return this.#send(...messages, readyForQuery())
  }

  async #replicationCommand(text: string): Promise<boolean> {
    const { options, wal } = this.#state
    let command
    try {
      command = parseReplicationCommand(text)
    } catch (error) {
      if (!(error instanceof ReplicationSyntaxError)) {
        throw error
      }
      return this.#walsenderError({ code: '42601', message: REPLICATION_PARSE_ERROR_MESSAGE })
    }
    switch (command.name) {
      case 'IDENTIFY_SYSTEM':
        return this.#send(
          ...resultSet(
            [textField('systemid'), int4Field('timeline'), textField('xlogpos'), textField('dbname')],
            [[options.systemId.toString(), String(wal.timeline), formatLsn(wal.flushLsn), null]]
          ),
          readyForQuery()
        )
      case 'IDENTIFY_VERSION':
        return this.#send(
          ...resultSet(
            [int4Field('sversion'), textField('pversion'), int4Field('term')],
            [[String(OG_SERVER_VERSION_NUM), OG_REPLICATION_PROTOCOL_NAME, String(options.term)]]
          ),
          readyForQuery()
        )
      case 'IDENTIFY_MODE':
        return this.#send(...resultSet([int4Field('smode')], [[String(options.serverMode)]]), readyForQuery())
      case 'BASE_BACKUP':
        return this.#baseBackup(command.options)
      case 'START_REPLICATION':
        return this.#startReplication(command.startLsn)
      case 'UNSUPPORTED':
        return this.#walsenderError({
          code: '0A000',
          message: `the openGauss simulator does not implement ${command.keyword}`,
        })
    }
  }

  async #baseBackup(backupOptions: BaseBackupOptions): Promise<boolean> {
    const { options, wal } = this.#state
    const faults = this.#state.faults
    const frames = baseBackupReply({
      data: options.data,
      options: backupOptions,
      isGsBasebackup: this.#applicationName === 'gs_basebackup',
      wal,
      lsns: options.backup,
      noticeStyle: options.backup.noticeStyle,
      startTime: options.backup.startTime,
    })
    let tarBytes = 0
    for (const frame of frames) {
      if (frame.fatal) {
        await this.#send(frame.message)
        this.#socket.end()
        this.#closed = true
        return false
      }
      const after = tarBytes + frame.tarBytes
      if (faults.errorAfterTarBytes !== undefined && after >= faults.errorAfterTarBytes && frame.tarBytes > 0) {
        return this.#walsenderError({
          code: 'XX000',
          message: 'base backup could not send data, aborting backup',
          file: 'basebackup.cpp',
          routine: 'sendFile',
        })
      }
      if (faults.dropAfterTarBytes !== undefined && after >= faults.dropAfterTarBytes && frame.tarBytes > 0) {
        this.#dropAfter(frame.message, faults.dropAfterTarBytes - tarBytes)
        return false
      }
      if (faults.stallAfterTarBytes !== undefined && after >= faults.stallAfterTarBytes && frame.tarBytes > 0) {
        await this.#send(frame.message.subarray(0, MESSAGE_HEADER + faults.stallAfterTarBytes - tarBytes))
        await this.#stall()
        return false
      }
      tarBytes = after
      if (!(await this.#send(frame.message))) {
        return false
      }
    }
    return this.#send(commandComplete('SELECT'), readyForQuery())
  }

  async #startReplication(startLsn: bigint): Promise<boolean> {
    const state = this.#state
    const { wal } = state
    if (startLsn < wal.oldestLsn) {
      const segment = walSegmentName(wal.timeline, startLsn, OG_WAL_SEGMENT_SIZE)
      return this.#walsenderError({ code: '58P01', message: `requested WAL segment ${segment} has already been removed` })
    }
    if (startLsn > wal.flushLsn) {
      return this.#walsenderError({
        code: '55000',
        message: `requested starting point ${formatLsn(startLsn)} is ahead of the WAL flush position of this server ${formatLsn(wal.flushLsn)}`,
      })
    }
    if (!(await this.#send(copyBothResponse()))) {
      return false
    }
    const onAdvance = (): void => this.#wake()
    state.walEvents.on('advance', onAdvance)
    try {
      return await this.#streamWal(startLsn)
    } finally {
      state.walEvents.off('advance', onAdvance)
    }
  }

  async #streamWal(startLsn: bigint): Promise<boolean> {
    const state = this.#state
    const { wal, options } = state
    const segment = BigInt(OG_WAL_SEGMENT_SIZE)
    let sent = startLsn
    let walBytes = 0
    let lastKeepalive = 0
    for (;;) {
      // Replies from the client: 'r' standby status, 'h' feedback; CopyDone or Terminate end the walsender.
      for (let message = this.#inbox.shift(); message; message = this.#inbox.shift()) {
        if (message.name !== 'typed' || message.code === 'c' || message.code === 'X') {
          this.#socket.end()
          this.#closed = true
          return false
        }
        if (message.code === 'd' && message.body[0] === 0x72) {
          try {
            state.standbyReplies.push(decodeStandbyReply(message.body))
          } catch {
            await this.#fatal({ code: '08P01', message: 'invalid standby reply message' })
            return false
          }
        }
      }
      if (this.#closed) {
        return false
      }
      if (sent < wal.flushLsn) {
        const segmentEnd = (sent / segment + 1n) * segment
        let end = sent + BigInt(OG_MAX_WAL_SEND_SIZE)
        end = end < wal.flushLsn ? end : wal.flushLsn
        end = end < segmentEnd ? end : segmentEnd
        const bytes = readWal(wal, sent, Number(end - sent))
        const message = copyData(
          encodeXLogData(
            {
              dataStart: sent,
              walEnd: wal.flushLsn,
              sendTime: pgTimestampNow(),
              senderSent: end,
              senderWrite: wal.flushLsn,
              senderFlush: wal.flushLsn,
              senderReplay: wal.flushLsn,
              catchup: false,
            },
            bytes
          )
        )
        const faults = state.faults
        const after = walBytes + bytes.length
        if (faults.dropAfterWalBytes !== undefined && after >= faults.dropAfterWalBytes) {
          this.#dropAfter(message, 1 + 64 + faults.dropAfterWalBytes - walBytes)
          return false
        }
        if (faults.stallAfterWalBytes !== undefined && after >= faults.stallAfterWalBytes) {
          await this.#stall()
          return false
        }
        walBytes = after
        sent = end
        if (!(await this.#send(message))) {
          return false
        }
        continue
      }
      const now = Date.now()
      if (now - lastKeepalive >= options.keepaliveIntervalMs) {
        lastKeepalive = now
        const keepalive = encodeKeepalive({
          walEnd: wal.flushLsn,
          peerRole: options.serverMode,
          peerState: OgDbState.normal,
          sendTime: pgTimestampNow(now),
          replyRequested: true,
          catchup: false,
          uwalCatchup: false,
          fullSync: false,
        })
        if (!(await this.#send(copyData(keepalive)))) {
          return false
        }
      }
      await this.#idle(Math.max(1, options.keepaliveIntervalMs - (Date.now() - lastKeepalive)))
    }
  }
}
