// `tidemark resume`: ends a pause at the recovery target — pg_wal_replay_resume() on PostgreSQL,
// pg_xlog_replay_resume() on openGauss — and waits until the server has left recovery.
import { setTimeout as sleep } from 'node:timers/promises'
import { columnValue, connect, type Connection, type ConnectionParameters } from '@tidemark/wire'
import { ResumeFailedError } from './errors.js'

export interface ResumeOptions {
  readonly connection: ConnectionParameters
  /** How long to wait for the server to leave recovery (default 300 s). */
  readonly timeoutSeconds?: number
  readonly signal?: AbortSignal | undefined
  readonly onMessage?: ((text: string) => void) | undefined
}

export interface ResumeResult {
  /** The timeline after promotion. */
  readonly timeline: number | undefined
  /** The last LSN replayed during recovery. */
  readonly replayLsn: string | undefined
}

async function single(connection: Connection, sql: string, column: string): Promise<string | undefined> {
  const [result] = await connection.query(sql)
  return result ? (columnValue(result, 0, column) ?? undefined) : undefined
}

async function inRecovery(connection: Connection): Promise<boolean> {
  return (await single(connection, 'SELECT pg_is_in_recovery()::text AS r', 'r')) === 'true'
}

/** Resumes replay and waits until recovery has ended; see the file comment. */
export async function resumeRecovery(options: ResumeOptions): Promise<ResumeResult> {
  const connection = await connect(options.connection)
  try {
    if (!(await inRecovery(connection))) {
      throw new ResumeFailedError('the server is not in recovery: there is nothing to resume')
    }
    const opengauss = connection.server.flavor === 'opengauss'
    await connection.query(opengauss ? 'SELECT pg_xlog_replay_resume()' : 'SELECT pg_wal_replay_resume()')
    options.onMessage?.(`called ${opengauss ? 'pg_xlog_replay_resume()' : 'pg_wal_replay_resume()'}; waiting until the server leaves recovery`)
    const deadline = Date.now() + (options.timeoutSeconds ?? 300) * 1000
    while (await inRecovery(connection)) {
      if (Date.now() > deadline) {
        throw new ResumeFailedError(`the server was still in recovery after ${options.timeoutSeconds ?? 300} s`)
      }
      await sleep(200, undefined, options.signal ? { signal: options.signal } : {})
    }
    const lsnFunction = opengauss ? 'pg_last_xlog_replay_location()' : 'pg_last_wal_replay_lsn()'
    const replayLsn = await single(connection, `SELECT ${lsnFunction}::text AS lsn`, 'lsn')
    // The end-of-recovery checkpoint may still be running: the timeline of the WAL being written.
    const timeline = opengauss
      ? undefined
      : await single(connection, `SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int::text AS t`, 't')
    return { timeline: timeline === undefined ? undefined : Number(timeline), replayLsn }
  } finally {
    await connection.close().catch(() => undefined)
  }
}
