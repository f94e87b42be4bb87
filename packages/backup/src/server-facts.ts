// Small facts about the server a backup needs beyond BASE_BACKUP itself.
import { DEFAULT_SEGMENT_SIZE, checkSegmentSize, parseLsn } from '@tidemark/wal'
import { columnValue, connect, type ConnectOptions, type Connection } from '@tidemark/wire'

const SIZE_UNITS: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }

/** `16MB` → 16777216: SHOW's way of printing sizes. */
export function parseShowSize(text: string): number {
  const match = /^(\d+)\s*(B|kB|MB|GB)?$/.exec(text.trim())
  if (!match) {
    throw new Error(`unreadable size "${text}"`)
  }
  return Number(match[1]) * (SIZE_UNITS[match[2] ?? 'B'] ?? 1)
}

/** wal_segment_size, asked over the replication connection (SHOW works there); 16 MB if it cannot tell. */
export async function walSegmentSize(connection: Connection): Promise<number> {
  try {
    const [result] = await connection.query('SHOW wal_segment_size')
    const value = result ? columnValue(result, 0, 'wal_segment_size') : undefined
    return value ? checkSegmentSize(parseShowSize(value)) : DEFAULT_SEGMENT_SIZE
  } catch {
    return DEFAULT_SEGMENT_SIZE
  }
}

/**
 * The lowest restart_lsn among the server's physical slots, read over an ordinary connection; undefined
 * when there is none or it cannot be read (then the INFO line shows the start position).
 */
export async function slotMinimumLsn(options: ConnectOptions): Promise<bigint | undefined> {
  let connection: Connection | undefined
  try {
    connection = await connect({ ...options, replication: false })
    const [result] = await connection.query(
      `SELECT min(restart_lsn)::text AS lsn FROM pg_replication_slots WHERE slot_type = 'physical'`
    )
    const value = result ? columnValue(result, 0, 'lsn') : undefined
    return value ? parseLsn(value) : undefined
  } catch {
    return undefined
  } finally {
    await connection?.close().catch(() => undefined)
  }
}
