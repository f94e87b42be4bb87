// The small replication commands: IDENTIFY_SYSTEM, TIMELINE_HISTORY, CREATE/DROP/READ_REPLICATION_SLOT,
// IDENTIFY_VERSION (openGauss). Command text is built by pure functions per dialect.
import { ProtocolError, UnsupportedFeatureError } from '../errors.js'
import { formatLsn, parseLsn, type Lsn } from '../lsn.js'
import { columnValue, type QueryResult } from '../query-result.js'
import type { ServerInfo } from '../server-info.js'
import { quoteIdentifier } from './quote.js'

export interface SystemIdentity {
  /** The system identifier (uint64) as decimal text. */
  readonly systemId: string
  readonly timeline: number
  readonly xlogPos: Lsn
  readonly dbName: string | null
}

export interface TimelineHistory {
  readonly fileName: string
  readonly content: Buffer
}

export interface CreateSlotOptions {
  readonly temporary?: boolean
  /** Reserve WAL at once (RESERVE_WAL). PostgreSQL only; openGauss always needs `startLsn`. */
  readonly reserveWal?: boolean
  /** openGauss: the LSN the physical slot starts at (required there). */
  readonly startLsn?: Lsn
}

export interface CreatedSlot {
  readonly slotName: string
  readonly consistentPoint: Lsn | undefined
}

export interface ReplicationSlotInfo {
  readonly slotType: string
  readonly restartLsn: Lsn | undefined
  readonly restartTimeline: number | undefined
}

export interface ServerVersionInfo {
  readonly serverVersionNumber: number
  readonly protocolVersion: string
  readonly term: string | null
}

function only(results: readonly QueryResult[], what: string): QueryResult {
  const result = results.find((candidate) => candidate.fields.length > 0)
  if (!result) {
    throw new ProtocolError(`${what} returned no result set`)
  }
  return result
}

function required(result: QueryResult, name: string, what: string): string {
  const value = columnValue(result, 0, name)
  if (value === undefined || value === null) {
    throw new ProtocolError(`${what} returned no ${name}`)
  }
  return value
}

export function identifySystemCommand(): string {
  return 'IDENTIFY_SYSTEM'
}

export function parseIdentifySystem(results: readonly QueryResult[]): SystemIdentity {
  const result = only(results, 'IDENTIFY_SYSTEM')
  if (result.rows.length !== 1 || result.fields.length < 3) {
    throw new ProtocolError(`IDENTIFY_SYSTEM returned ${result.rows.length} rows and ${result.fields.length} columns`)
  }
  const timeline = Number(required(result, 'timeline', 'IDENTIFY_SYSTEM'))
  if (!Number.isInteger(timeline) || timeline < 1) {
    throw new ProtocolError('IDENTIFY_SYSTEM returned an invalid timeline')
  }
  return {
    systemId: required(result, 'systemid', 'IDENTIFY_SYSTEM'),
    timeline,
    xlogPos: parseLsn(required(result, 'xlogpos', 'IDENTIFY_SYSTEM')),
    dbName: columnValue(result, 0, 'dbname') ?? null,
  }
}

export function timelineHistoryCommand(server: ServerInfo, timeline: number): string {
  if (server.flavor === 'opengauss') {
    throw new UnsupportedFeatureError('openGauss has no TIMELINE_HISTORY command')
  }
  if (!Number.isInteger(timeline) || timeline < 2) {
    throw new UnsupportedFeatureError(`TIMELINE_HISTORY needs a timeline of 2 or more, not ${timeline}`)
  }
  return `TIMELINE_HISTORY ${timeline}`
}

export function parseTimelineHistory(results: readonly QueryResult[]): TimelineHistory {
  const result = only(results, 'TIMELINE_HISTORY')
  return {
    fileName: required(result, 'filename', 'TIMELINE_HISTORY'),
    content: Buffer.from(required(result, 'content', 'TIMELINE_HISTORY'), 'utf8'),
  }
}

export function createSlotCommand(server: ServerInfo, name: string, options: CreateSlotOptions): string {
  const slot = quoteIdentifier(name)
  if (server.flavor === 'opengauss') {
    if (options.temporary) {
      throw new UnsupportedFeatureError('openGauss has no temporary replication slots')
    }
    if (options.startLsn === undefined) {
      throw new UnsupportedFeatureError('openGauss needs the start LSN of a physical replication slot')
    }
    return `CREATE_REPLICATION_SLOT ${slot} PHYSICAL ${formatLsn(options.startLsn)}`
  }
  const temporary = options.temporary ? ' TEMPORARY' : ''
  if (!options.reserveWal) {
    return `CREATE_REPLICATION_SLOT ${slot}${temporary} PHYSICAL`
  }
  // PostgreSQL 15 moved slot options into parentheses (the old form still parses, but is legacy).
  return server.major >= 15
    ? `CREATE_REPLICATION_SLOT ${slot}${temporary} PHYSICAL (RESERVE_WAL)`
    : `CREATE_REPLICATION_SLOT ${slot}${temporary} PHYSICAL RESERVE_WAL`
}

export function parseCreatedSlot(results: readonly QueryResult[]): CreatedSlot {
  const result = only(results, 'CREATE_REPLICATION_SLOT')
  const point = columnValue(result, 0, 'consistent_point')
  return {
    slotName: required(result, 'slot_name', 'CREATE_REPLICATION_SLOT'),
    consistentPoint: point ? parseLsn(point) : undefined,
  }
}

export function dropSlotCommand(name: string, wait: boolean): string {
  return `DROP_REPLICATION_SLOT ${quoteIdentifier(name)}${wait ? ' WAIT' : ''}`
}

export function readSlotCommand(server: ServerInfo, name: string): string {
  if (server.flavor === 'opengauss' || server.major < 15) {
    throw new UnsupportedFeatureError('READ_REPLICATION_SLOT needs PostgreSQL 15 or newer')
  }
  return `READ_REPLICATION_SLOT ${quoteIdentifier(name)}`
}

/** `undefined` when the slot does not exist (the server answers with NULLs). */
export function parseReadSlot(results: readonly QueryResult[]): ReplicationSlotInfo | undefined {
  const result = only(results, 'READ_REPLICATION_SLOT')
  const slotType = columnValue(result, 0, 'slot_type')
  if (slotType === null || slotType === undefined) {
    return undefined
  }
  const lsn = columnValue(result, 0, 'restart_lsn')
  const tli = columnValue(result, 0, 'restart_tli')
  return {
    slotType,
    restartLsn: lsn ? parseLsn(lsn) : undefined,
    restartTimeline: tli ? Number(tli) : undefined,
  }
}

export function parseIdentifyVersion(results: readonly QueryResult[]): ServerVersionInfo {
  const result = only(results, 'IDENTIFY_VERSION')
  return {
    serverVersionNumber: Number(required(result, 'sversion', 'IDENTIFY_VERSION')),
    protocolVersion: required(result, 'pversion', 'IDENTIFY_VERSION'),
    term: columnValue(result, 0, 'term') ?? null,
  }
}
