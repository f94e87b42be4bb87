// startOpenGaussSimulator: a real TCP server on 127.0.0.1 speaking openGauss's dialect, on a main
// port and on the HA/replication port (main + 1, where gs_basebackup connects).
import { createServer } from 'node:net'
import type { Server, Socket } from 'node:net'
import type { SimDataDirectory } from './data-directory.js'
import { freePort } from '../free-port.js'
import { formatLsn, parseLsn } from './lsn.js'
import { resolveOptions } from './options.js'
import type { OpenGaussFaults, OpenGaussSimulatorOptions } from './options.js'
import { Session } from './session.js'
import { SimulatorState } from './simulator-state.js'
import type { ReceivedCommand, ReceivedStartup } from './simulator-state.js'
import type { StandbyReply } from './wal-messages.js'
import { readWal } from './wal-source.js'

export interface OpenGaussSimulator {
  readonly host: string
  /** The ordinary port (`-p`): SQL connections, and replication when not refused. */
  readonly port: number
  /** The HA port, `port + 1`, where gs_basebackup connects. */
  readonly replicationPort: number
  readonly user: string
  readonly password: string
  readonly systemId: bigint
  readonly timeline: number
  readonly dataDirectory: SimDataDirectory
  /** Backup LSNs as the replies print them (`%X/%X`). */
  readonly backupLsns: { readonly start: string; readonly xlogCopyStart: string; readonly end: string }
  /** The WAL flush position now. */
  flushLsn(): string
  /** The WAL bytes the simulator serves from `fromLsn` (what XLogData and fetched segments carry). */
  walBytes(fromLsn: string, length: number): Buffer
  /** Moves the flush position forward; streams in progress send the new WAL. */
  advanceWal(to: string): void
  /** Replaces the faults for what happens next. */
  setFaults(faults: OpenGaussFaults): void
  /** Every simple query received, in order. */
  readonly received: readonly ReceivedCommand[]
  /** Every startup packet received, in order. */
  readonly startups: readonly ReceivedStartup[]
  /** Every standby status update ('r') received, decoded. */
  readonly standbyReplies: readonly StandbyReply[]
  /** Connections accepted so far, on both ports. */
  connectionCount(): number
  /**
   * The most bytes any connection has had queued in its socket. The simulator waits for 'drain', so
   * this stays near one message (≤ 128 kB + headers) however slowly a client reads.
   */
  maxBufferedBytes(): number
  /** Stops listening and destroys every connection. */
  close(): Promise<void>
}

const HOST = '127.0.0.1'

async function listen(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onError = (): void => resolve(false)
    server.once('error', onError)
    server.listen(port, HOST, () => {
      server.off('error', onError)
      resolve(true)
    })
  })
}

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) {
    return
  }
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

export async function startOpenGaussSimulator(options: OpenGaussSimulatorOptions = {}): Promise<OpenGaussSimulator> {
  const state = new SimulatorState(resolveOptions(options))
  const sockets = new Set<Socket>()
  let accepted = 0
  const serverFor = (kind: 'main' | 'ha'): Server =>
    createServer((socket) => {
      accepted += 1
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      new Session(socket, state, kind)
    })
  let main = serverFor('main')
  let ha = serverFor('ha')
  let port = 0
  for (let attempt = 0; ; attempt += 1) {
    port = await freePort()
    if (port < 65535 && (await listen(main, port)) && (await listen(ha, port + 1))) {
      break
    }
    await closeServer(main)
    await closeServer(ha)
    if (attempt >= 20) {
      throw new Error('openGauss simulator: no two consecutive free ports on 127.0.0.1')
    }
    main = serverFor('main')
    ha = serverFor('ha')
  }
  const { backup } = state.options
  return {
    host: HOST,
    port,
    replicationPort: port + 1,
    user: state.options.user,
    password: state.options.password,
    systemId: state.options.systemId,
    timeline: state.options.timeline,
    dataDirectory: state.options.data,
    backupLsns: {
      start: formatLsn(backup.startLsn),
      xlogCopyStart: formatLsn(backup.xlogCopyStartLsn),
      end: formatLsn(backup.endLsn),
    },
    flushLsn: () => formatLsn(state.wal.flushLsn),
    walBytes: (fromLsn, length) => readWal(state.wal, parseLsn(fromLsn), length),
    advanceWal: (to) => state.advanceWal(parseLsn(to)),
    setFaults: (faults) => {
      state.faults = faults
    },
    received: state.received,
    startups: state.startups,
    standbyReplies: state.standbyReplies,
    connectionCount: () => accepted,
    maxBufferedBytes: () => state.maxBufferedBytes,
    close: async () => {
      for (const socket of sockets) {
        socket.destroy()
      }
      await Promise.all([closeServer(main), closeServer(ha)])
    },
  }
}
