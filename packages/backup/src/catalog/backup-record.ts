// backup.json: the small record the catalog keeps beside each backup's files. Pure: parse and format.
import { BackupFailedError } from '../errors.js'
import { isBackupId } from './backup-id.js'

export const BACKUP_RECORD_FORMAT = 'tidemark-backup'
export const BACKUP_RECORD_VERSION = 1

export interface BackupRecord {
  readonly id: string
  readonly label: string
  readonly startLsn: string
  readonly endLsn: string
  readonly timeline: number
  /** ISO 8601 UTC. */
  readonly startTime: string
  readonly endTime: string
  /** Decimal string: 64-bit. */
  readonly systemIdentifier: string
  /** Bytes written (after compression). */
  readonly bytes: number
  readonly flavor: 'postgresql' | 'opengauss'
  readonly serverMajor: number
  readonly format: 'plain' | 'tar'
  /** 'none', or the method (and level) the files were compressed with, e.g. 'gzip:5'. */
  readonly compression: string
  readonly verified: boolean
  /** ISO time of the last successful verification. */
  readonly verifiedAt?: string | undefined
  /** The server's WAL segment size, in bytes. */
  readonly segmentSize?: number | undefined
  /** How WAL was included: 'stream' or 'fetch' (in pg_wal.tar / base.tar), or 'none' (from the repository's wal/ only). */
  readonly walMethod?: string | undefined
  /** The backup's files under data/, in the order they were stored. */
  readonly files?: readonly string[] | undefined
}

const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i

/** Catalog order: by start time, then id. */
export function oldestFirst(a: BackupRecord, b: BackupRecord): number {
  return Date.parse(a.startTime) - Date.parse(b.startTime) || a.id.localeCompare(b.id)
}

export function formatBackupRecord(record: BackupRecord): string {
  return `${JSON.stringify({ document: BACKUP_RECORD_FORMAT, version: BACKUP_RECORD_VERSION, ...record }, null, 2)}\n`
}

/** Parses and checks backup.json; BackupFailedError names the file and the bad field. */
export function parseBackupRecord(text: string, where: string): BackupRecord {
  let document: Record<string, unknown>
  try {
    document = JSON.parse(text) as Record<string, unknown>
  } catch (error) {
    throw new BackupFailedError(`${where} is not valid JSON`, { cause: error })
  }
  const bad = (field: string): never => {
    throw new BackupFailedError(`${where}: ${field} is missing or invalid`)
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return bad('the document')
  }
  if (document['document'] !== BACKUP_RECORD_FORMAT || document['version'] !== BACKUP_RECORD_VERSION) {
    throw new BackupFailedError(`${where} is not a version ${BACKUP_RECORD_VERSION} ${BACKUP_RECORD_FORMAT} record`)
  }
  const string = (field: string, test: (value: string) => boolean = () => true): string => {
    const value = document[field]
    return typeof value === 'string' && test(value) ? value : bad(field)
  }
  const integer = (field: string): number => {
    const value = document[field]
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : bad(field)
  }
  const stringList = (field: string): string[] => {
    const value = document[field]
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : bad(field)
  }
  const time = (value: string): boolean => !Number.isNaN(Date.parse(value))
  const flavor = string('flavor', (v) => v === 'postgresql' || v === 'opengauss') as BackupRecord['flavor']
  return {
    id: string('id', isBackupId),
    label: string('label'),
    startLsn: string('startLsn', (v) => LSN.test(v)),
    endLsn: string('endLsn', (v) => LSN.test(v)),
    timeline: integer('timeline'),
    startTime: string('startTime', time),
    endTime: string('endTime', time),
    systemIdentifier: string('systemIdentifier', (v) => /^\d{1,20}$/.test(v)),
    bytes: integer('bytes'),
    flavor,
    serverMajor: integer('serverMajor'),
    format: string('format', (v) => v === 'plain' || v === 'tar') as BackupRecord['format'],
    compression: string('compression'),
    verified: typeof document['verified'] === 'boolean' ? document['verified'] : bad('verified'),
    ...(typeof document['verifiedAt'] === 'string' ? { verifiedAt: document['verifiedAt'] } : {}),
    ...(document['segmentSize'] !== undefined ? { segmentSize: integer('segmentSize') } : {}),
    ...(document['walMethod'] !== undefined ? { walMethod: string('walMethod') } : {}),
    ...(document['files'] !== undefined ? { files: stringList('files') } : {}),
  }
}
