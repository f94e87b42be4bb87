// The background WAL receiver of -X stream: a second replication connection that streams WAL from
// the start of the backup's first segment into a WalSink until the backup's end position, holding
// it with a temporary slot (or the -S slot). A failure here aborts the whole backup at once.
import { randomBytes } from 'node:crypto'
import { formatLsn } from '@tidemark/wal'
import { connect, type ConnectOptions, type Connection } from '@tidemark/wire'
import type { WalSink } from './wal-sink.js'

export interface WalStreamerOptions {
  readonly connection: ConnectOptions
  readonly startLsn: bigint
  readonly timeline: number
  readonly statusIntervalSeconds: number
  readonly slot: string | undefined
  readonly createSlot: boolean
  readonly temporarySlot: boolean
  readonly sink: WalSink
  readonly onMessage: (text: string) => void
  /** Called once if streaming fails before finish(): the backup must stop too. */
  readonly onFailure: (error: Error) => void
}

export interface WalStreamer {
  /** Streams until everything up to endLsn is in the sink, then stops and closes. */
  finish(endLsn: bigint): Promise<void>
  abort(error: Error): Promise<void>
}

/** pg_basebackup's -s 0 turns status updates off; the client still needs a stall bound, so 10 s then. */
function statusIntervalMs(seconds: number): number {
  return seconds > 0 ? seconds * 1000 : 10_000
}

export async function startWalStreamer(options: WalStreamerOptions): Promise<WalStreamer> {
  const connection: Connection = await connect({ ...options.connection, replication: true })
  try {
    const postgres = connection.server.flavor === 'postgresql'
    let slot = options.slot
    if (options.createSlot && slot !== undefined) {
      await connection.createReplicationSlot(slot, postgres ? { reserveWal: true } : { startLsn: options.startLsn })
      options.onMessage(`created replication slot "${slot}"`)
    } else if (options.temporarySlot && postgres) {
      slot = `tidemark_${process.pid}_${randomBytes(3).toString('hex')}`
      await connection.createReplicationSlot(slot, { temporary: true, reserveWal: true })
      options.onMessage(`created temporary replication slot "${slot}"`)
    }
    const stream = await connection.startReplication({
      startLsn: options.startLsn,
      ...(postgres ? { timeline: options.timeline } : {}),
      ...(slot !== undefined ? { slot } : {}),
      statusIntervalMs: statusIntervalMs(options.statusIntervalSeconds),
    })
    let stopAt: bigint | undefined
    let received = options.startLsn
    let stopping = false
    const stopIfDone = (): void => {
      if (!stopping && stopAt !== undefined && received >= stopAt) {
        stopping = true
        stream.stop()
      }
    }
    const loop = (async (): Promise<void> => {
      for await (const event of stream) {
        if (event.kind === 'end-of-timeline') {
          break
        }
        await options.sink.write(event.walStart, event.data)
        received = event.walStart + BigInt(event.data.length)
        stream.acknowledge(received)
        stopIfDone()
      }
    })()
    let finished = false
    loop.catch((error: unknown) => {
      if (!finished) {
        options.onFailure(error instanceof Error ? error : new Error(String(error)))
      }
    })
    return {
      async finish(endLsn: bigint): Promise<void> {
        stopAt = endLsn
        stopIfDone()
        await loop
        finished = true
        if (received < endLsn) {
          throw new Error(`the WAL stream ended at ${formatLsn(received)}, before the backup's end ${formatLsn(endLsn)}`)
        }
        await connection.close()
      },
      async abort(): Promise<void> {
        finished = true
        await connection.close().catch(() => undefined)
        await loop.catch(() => undefined)
      },
    }
  } catch (error) {
    await connection.close().catch(() => undefined)
    throw error
  }
}
