// START_REPLICATION … PHYSICAL as an async iterator of WAL. Messages are read from the socket only
// when the consumer asks for the next event (backpressure); standby status updates go out every
// `statusIntervalMs` from a timer regardless, and at once when a keepalive asks for a reply. While
// waiting on a silent server each status update requests a reply, so a live server always answers
// within the interval; silence longer than `stallTimeoutMs` fails the stream with StalledError.
import { ConnectionLostError, ConnectionStateError, ProtocolError, ServerError, StalledError, UnsupportedFeatureError } from '../errors.js'
import { frontend } from '../frontend-message.js'
import { formatLsn, parseLsn, type Lsn } from '../lsn.js'
import { columnValue, readResults } from '../query-result.js'
import type { ServerInfo } from '../server-info.js'
import type { Session } from '../session.js'
import { decodeOpenGaussReplicationMessage, encodeOpenGaussStandbyStatus } from './opengauss-xlog-message.js'
import { quoteIdentifier } from './quote.js'
import {
  decodeReplicationMessage,
  encodeStandbyStatus,
  replicationNow,
  type ReplicationMessage,
  type StandbyStatus,
} from './xlog-message.js'

export interface StartReplicationOptions {
  readonly startLsn: Lsn
  /** The timeline to stream (PostgreSQL; openGauss has no TIMELINE clause). */
  readonly timeline?: number
  readonly slot?: string
  /** Standby status update period (default 10 000 ms, as pg_receivewal -s 10). */
  readonly statusIntervalMs?: number
  /** Fail when the server is silent this long while we wait (default status interval + 10 000 ms). */
  readonly stallTimeoutMs?: number
}

export type WalEvent =
  | {
      readonly kind: 'xlog'
      /** The WAL position of data[0]. */
      readonly walStart: Lsn
      /** The server's current end of WAL. */
      readonly walEnd: Lsn
      readonly serverTime: bigint
      readonly data: Buffer
    }
  | {
      /** The server ended the timeline (PostgreSQL); the stream is over and the connection is free again. */
      readonly kind: 'end-of-timeline'
      readonly nextTimeline: number | undefined
      readonly nextTimelineStartLsn: Lsn | undefined
    }

const DEFAULT_STATUS_INTERVAL_MS = 10_000
const DEFAULT_STALL_BOUND_MS = 10_000

export function startReplicationCommand(server: ServerInfo, options: StartReplicationOptions): string {
  const slot = options.slot !== undefined ? `SLOT ${quoteIdentifier(options.slot)} ` : ''
  if (server.flavor === 'opengauss') {
    if (options.timeline !== undefined) {
      throw new UnsupportedFeatureError('openGauss START_REPLICATION has no TIMELINE clause')
    }
    return `START_REPLICATION ${slot}${formatLsn(options.startLsn)}`
  }
  const timeline = options.timeline !== undefined ? ` TIMELINE ${options.timeline}` : ''
  return `START_REPLICATION ${slot}PHYSICAL ${formatLsn(options.startLsn)}${timeline}`
}

export class WalStream implements AsyncIterable<WalEvent> {
  readonly #session: Session
  readonly #release: () => void
  readonly #decode: (payload: Buffer) => ReplicationMessage
  readonly #encode: (status: StandbyStatus) => Buffer
  readonly #statusIntervalMs: number
  readonly #stallTimeoutMs: number
  #received: Lsn
  #flushed: Lsn = 0n
  #heardSinceStatus = true
  #copyDoneSent = false
  #iterating = false
  #timer: NodeJS.Timeout | undefined

  /** @internal use Connection.startReplication */
  constructor(session: Session, release: () => void, options: StartReplicationOptions) {
    this.#session = session
    this.#release = release
    const openGauss = session.server.flavor === 'opengauss'
    this.#decode = openGauss ? decodeOpenGaussReplicationMessage : decodeReplicationMessage
    this.#encode = openGauss ? encodeOpenGaussStandbyStatus : encodeStandbyStatus
    this.#statusIntervalMs = options.statusIntervalMs ?? DEFAULT_STATUS_INTERVAL_MS
    this.#stallTimeoutMs = options.stallTimeoutMs ?? this.#statusIntervalMs + DEFAULT_STALL_BOUND_MS
    this.#received = options.startLsn
    if (this.#statusIntervalMs > 0) {
      this.#timer = setInterval(() => this.#sendStatus(!this.#heardSinceStatus), this.#statusIntervalMs)
      this.#timer.unref()
    }
  }

  /** The end of the WAL received so far. */
  get receivedLsn(): Lsn {
    return this.#received
  }

  /** Reports WAL up to `lsn` as durably written (advances a slot's restart_lsn). */
  acknowledge(lsn: Lsn): void {
    if (lsn > this.#flushed) {
      this.#flushed = lsn
    }
  }

  /** Sends a status update now. */
  sendStatus(replyRequested = false): void {
    this.#sendStatus(replyRequested)
  }

  /** Ends streaming from our side (CopyDone): the iteration finishes once the server confirms. */
  stop(): void {
    if (!this.#copyDoneSent && !this.#session.closed) {
      this.#sendStatus(false)
      this.#copyDoneSent = true
      this.#session.write(frontend.copyDone())
    }
  }

  #sendStatus(replyRequested: boolean): void {
    if (this.#session.closed || this.#copyDoneSent) {
      return
    }
    this.#heardSinceStatus = false
    const status: StandbyStatus = {
      write: this.#received,
      flush: this.#flushed,
      apply: 0n,
      sendTime: replicationNow(),
      replyRequested,
    }
    this.#session.write(frontend.copyData(this.#encode(status)))
  }

  [Symbol.asyncIterator](): AsyncGenerator<WalEvent, void, undefined> {
    if (this.#iterating) {
      throw new ConnectionStateError('a WAL stream can be iterated only once')
    }
    this.#iterating = true
    return this.#events()
  }

  async *#events(): AsyncGenerator<WalEvent, void, undefined> {
    const pump = this.#session.pump
    let clean = false
    try {
      for (;;) {
        const message = await pump.next({
          timeoutMs: this.#stallTimeoutMs,
          onTimeout: () => new StalledError(this.#stallTimeoutMs),
        })
        this.#heardSinceStatus = true
        if (message.name === 'copyData') {
          const decoded = this.#decode(message.data)
          if (decoded.type === 'xlogData') {
            const end = decoded.walStart + BigInt(decoded.data.length)
            if (end > this.#received) {
              this.#received = end
            }
            yield { kind: 'xlog', walStart: decoded.walStart, walEnd: decoded.walEnd, serverTime: decoded.serverTime, data: decoded.data }
          } else if (decoded.type === 'keepalive' && decoded.replyRequested) {
            this.#sendStatus(false)
          }
          continue
        }
        if (message.name === 'copyDone') {
          const serverEnded = !this.#copyDoneSent
          if (serverEnded) {
            this.#copyDoneSent = true
            this.#session.write(frontend.copyDone())
          }
          const { results } = await readResults(pump, false)
          clean = true
          const next = results.find((result) => result.fields.some((field) => field.name === 'next_tli'))
          if (serverEnded || next) {
            const tli = next ? columnValue(next, 0, 'next_tli') : undefined
            const start = next ? columnValue(next, 0, 'next_tli_startpos') : undefined
            yield {
              kind: 'end-of-timeline',
              nextTimeline: tli === undefined || tli === null ? undefined : Number(tli),
              nextTimelineStartLsn: start === undefined || start === null ? undefined : parseLsn(start),
            }
          }
          return
        }
        if (message.name === 'error') {
          throw new ServerError(message.fields)
        }
        throw new ProtocolError(`unexpected ${message.name} in the replication stream`)
      }
    } catch (error) {
      // openGauss's walsender answers our CopyDone by exiting, without a CopyDone of its own.
      if (this.#copyDoneSent && this.#session.server.flavor === 'opengauss' && error instanceof ConnectionLostError) {
        clean = true
        this.#session.destroy()
        return
      }
      this.#session.destroy(error instanceof Error ? error : undefined)
      throw error
    } finally {
      if (this.#timer) {
        clearInterval(this.#timer)
      }
      if (!clean) {
        this.#session.destroy(new ConnectionStateError('the WAL stream was abandoned before its end; the connection was closed'))
      }
      this.#release()
    }
  }
}

/** Sends START_REPLICATION and waits for CopyBothResponse; ServerError when the server refuses. */
export async function startReplication(session: Session, options: StartReplicationOptions): Promise<WalStream> {
  const command = startReplicationCommand(session.server, options)
  const release = session.acquire('START_REPLICATION')
  try {
    session.write(frontend.query(command))
    const { end } = await readResults(session.pump, true)
    if (end !== 'copyBothResponse') {
      throw new ProtocolError(`START_REPLICATION answered without starting to stream`)
    }
  } catch (error) {
    release()
    throw error
  }
  return new WalStream(session, release, options)
}
