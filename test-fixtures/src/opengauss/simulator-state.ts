// What all connections of one simulator share: options, faults, the WAL, and what clients sent.
import { EventEmitter } from 'node:events'
import { deriveSha256Secret } from './auth.js'
import type { Sha256Secret } from './auth.js'
import type { OpenGaussFaults, ResolvedOptions } from './options.js'
import type { StandbyReply } from './wal-messages.js'
import type { WalSource } from './wal-source.js'

export type PortKind = 'main' | 'ha'

/** A simple-query command a client sent, as received. */
export interface ReceivedCommand {
  readonly port: PortKind
  readonly replication: boolean
  readonly applicationName: string
  readonly text: string
}

/** A startup packet a client sent. */
export interface ReceivedStartup {
  readonly port: PortKind
  readonly protocol: number
  readonly parameters: Readonly<Record<string, string>>
}

export class SimulatorState {
  readonly options: ResolvedOptions
  readonly wal: WalSource
  readonly received: ReceivedCommand[] = []
  readonly startups: ReceivedStartup[] = []
  readonly standbyReplies: StandbyReply[] = []
  /** Emits `advance` when the flush position moves. */
  readonly walEvents: EventEmitter = new EventEmitter()
  faults: OpenGaussFaults
  /** The most bytes any connection had queued in its socket: stays small when backpressure works. */
  maxBufferedBytes = 0
  #secret: Sha256Secret | undefined
  #nextProcessId = 140_000

  constructor(options: ResolvedOptions) {
    this.options = options
    this.faults = options.faults
    this.wal = {
      timeline: options.timeline,
      systemId: options.systemId,
      oldestLsn: options.oldestLsn,
      flushLsn: options.flushLsn,
    }
    this.walEvents.setMaxListeners(0)
  }

  /** The stored SHA256 secret of the configured user (derived once: PBKDF2 is slow on purpose). */
  get secret(): Sha256Secret {
    this.#secret ??= deriveSha256Secret(this.options.password, this.options.saltHex, this.options.iterations)
    return this.#secret
  }

  noteBuffered(bytes: number): void {
    this.maxBufferedBytes = Math.max(this.maxBufferedBytes, bytes)
  }

  nextProcessId(): number {
    this.#nextProcessId += 1
    return this.#nextProcessId
  }

  advanceWal(to: bigint): void {
    if (to > this.wal.flushLsn) {
      this.wal.flushLsn = to
      this.walEvents.emit('advance')
    }
  }
}
