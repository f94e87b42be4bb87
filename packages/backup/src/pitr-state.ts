// The recovery state of a running server, read with SQL: in recovery or not, replay paused, the
// last replayed LSN and transaction time, the timeline. Function names by flavor and version.
import { columnValue, connect, type Connection, type ConnectionParameters } from '@tidemark/wire'

export interface RecoveryState {
  readonly inRecovery: boolean
  readonly paused: boolean
  readonly replayLsn: string | undefined
  readonly replayTime: string | undefined
  readonly timeline: number | undefined
}

function pausedExpression(connection: Connection): string {
  if (connection.server.flavor === 'opengauss') {
    return 'pg_is_xlog_replay_paused()'
  }
  return connection.server.major >= 14 ? `pg_get_wal_replay_pause_state() = 'paused'` : 'pg_is_wal_replay_paused()'
}

function replayLsnFunction(connection: Connection): string {
  return connection.server.flavor === 'opengauss' ? 'pg_last_xlog_replay_location()' : 'pg_last_wal_replay_lsn()'
}

/** Reads the state over an open connection. */
export async function readRecoveryState(connection: Connection): Promise<RecoveryState> {
  const [result] = await connection.query(
    `SELECT pg_is_in_recovery()::text AS in_recovery,
            CASE WHEN pg_is_in_recovery() THEN (${pausedExpression(connection)})::text ELSE 'false' END AS paused,
            ${replayLsnFunction(connection)}::text AS lsn,
            pg_last_xact_replay_timestamp()::text AS time,
            (SELECT timeline_id FROM pg_control_checkpoint())::text AS timeline`
  )
  if (!result) {
    throw new Error('the recovery state query returned nothing')
  }
  const value = (name: string): string | undefined => columnValue(result, 0, name) ?? undefined
  const timeline = value('timeline')
  return {
    inRecovery: value('in_recovery') === 'true',
    paused: value('paused') === 'true',
    replayLsn: value('lsn'),
    replayTime: value('time'),
    timeline: timeline === undefined ? undefined : Number(timeline),
  }
}

/** The timeline the server is on (replay timeline in recovery), by IDENTIFY_SYSTEM; undefined when replication is not allowed. */
export async function identifyTimeline(parameters: ConnectionParameters): Promise<number | undefined> {
  let connection: Connection | undefined
  try {
    connection = await connect({ ...parameters, replication: true })
    return (await connection.identifySystem()).timeline
  } catch {
    return undefined
  } finally {
    await connection?.close().catch(() => undefined)
  }
}
