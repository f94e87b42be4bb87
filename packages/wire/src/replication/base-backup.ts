// BASE_BACKUP as one dialect-neutral event stream:
//   start → (archive | manifest | progress)* → end
// Each archive/manifest event carries a Readable that must be read to its end (pipe it, or iterate
// it) before asking for the next event; the socket is read only as fast as that stream is consumed.
// Breaking out of the iteration, or any failure, closes the connection: a BASE_BACKUP cannot be
// abandoned half-way on the same session.
import type { Readable } from 'node:stream'
import type { BackendMessage } from '../backend-message.js'
import { ConnectionStateError, ProtocolError, ServerError, StalledError } from '../errors.js'
import { frontend } from '../frontend-message.js'
import { parseLsn, type Lsn } from '../lsn.js'
import { columnValue, readResults, type QueryResult } from '../query-result.js'
import type { NextOptions } from '../message-pump.js'
import type { Session } from '../session.js'
import { baseBackupCommand, baseBackupDialect, type BaseBackupOptions } from './base-backup-command.js'
import { decodeCopyStreamMessage } from './copy-stream-message.js'
import { CopyReader, consumed, type ArchiveSink, type CopyStep } from './copy-reader.js'
import { CopyStreamType } from './copy-stream-message.js'

export interface TablespaceEntry {
  /** undefined for the base directory (always listed last). */
  readonly oid: number | undefined
  /** The tablespace directory; for openGauss `relative` tablespaces, relative to PGDATA. undefined for the base. */
  readonly location: string | undefined
  /** The server's size estimate in bytes (sent only with PROGRESS). */
  readonly size: number | undefined
  /** openGauss: the tablespace lives inside PGDATA (pg_location/…). */
  readonly relative?: boolean
}

export type BaseBackupEvent =
  | {
      readonly kind: 'start'
      readonly startLsn: Lsn
      /** PostgreSQL: the timeline of the start position. openGauss does not send it. */
      readonly timeline: number | undefined
      readonly tablespaces: readonly TablespaceEntry[]
      /** openGauss: the `pg_xlog` link target from the xloglink result set ('data/pg_xlog' when not a link). */
      readonly xlogLink?: string
      /** openGauss: the start position announced by the INFO notice (the full build's xlog copy start). */
      readonly noticedStartLsn?: Lsn
    }
  | {
      readonly kind: 'archive'
      /** 'base.tar', '<oid>.tar', or with server compression '.tar.gz' / '.tar.lz4' / '.tar.zst'. */
      readonly name: string
      readonly tablespaceOid: number | undefined
      /** Tar bytes (PostgreSQL ustar, openGauss gs_tar), or compressed tar with server compression. */
      readonly stream: Readable
      /**
       * Or: the same bytes handed synchronously to a sink, straight from the socket's read buffer
       * (no stream, no copy). Use one of the two. Resolves once the archive is read to its end.
       */
      readonly readInto: (sink: ArchiveSink) => Promise<void>
    }
  | { readonly kind: 'manifest'; readonly stream: Readable }
  | { readonly kind: 'progress'; readonly bytes: number }
  | { readonly kind: 'end'; readonly endLsn: Lsn; readonly timeline: number | undefined }

const KILOBYTE = 1024
const OPENGAUSS_START_NOTICE = /full build is: ([0-9A-F]+\/[0-9A-F]+)\. The slot minimum LSN is: ([0-9A-F]+\/[0-9A-F]+)/

function findResult(results: readonly QueryResult[], column: string): QueryResult | undefined {
  return results.find((result) => result.fields.some((field) => field.name === column))
}

function position(results: readonly QueryResult[], what: string): { lsn: Lsn; timeline: number | undefined } {
  const result = findResult(results, 'recptr')
  const recptr = result ? columnValue(result, 0, 'recptr') : undefined
  if (!result || recptr === undefined || recptr === null) {
    throw new ProtocolError(`BASE_BACKUP sent no ${what} position`)
  }
  const tli = columnValue(result, 0, 'tli')
  return { lsn: parseLsn(recptr), timeline: tli === undefined || tli === null ? undefined : Number(tli) }
}

function tablespaces(results: readonly QueryResult[]): TablespaceEntry[] {
  const result = findResult(results, 'spcoid')
  if (!result) {
    throw new ProtocolError('BASE_BACKUP sent no tablespace header')
  }
  const indexOf = (name: string): number => result.fields.findIndex((field) => field.name === name)
  const [oid, location, size, relative] = [indexOf('spcoid'), indexOf('spclocation'), indexOf('size'), indexOf('relative')]
  return result.rows.map((row) => {
    const oidText = row[oid] ?? null
    const sizeText = size >= 0 ? (row[size] ?? null) : null
    const entry: TablespaceEntry = {
      oid: oidText === null ? undefined : Number(oidText),
      location: row[location] ?? undefined,
      size: sizeText === null ? undefined : Number(sizeText) * KILOBYTE,
    }
    return relative >= 0 ? { ...entry, relative: row[relative] === '1' } : entry
  })
}

function archiveName(entry: TablespaceEntry): string {
  return entry.oid === undefined ? 'base.tar' : `${entry.oid}.tar`
}

/** Legacy COPY: every CopyData is archive bytes; CopyDone ends it. */
function legacyStep(message: BackendMessage): CopyStep {
  switch (message.name) {
    case 'copyData':
      return { kind: 'data', data: message.data }
    case 'copyDone':
      return { kind: 'end', putBack: false }
    default:
      throw new ProtocolError(`unexpected ${message.name} inside a BASE_BACKUP archive`)
  }
}

/** The BASE_BACKUP event stream; see the module comment for the consumer's contract. */
export async function* runBaseBackup(session: Session, options: BaseBackupOptions): AsyncGenerator<BaseBackupEvent, void, undefined> {
  const command = baseBackupCommand(session.server, options)
  const dialect = baseBackupDialect(session.server)
  const release = session.acquire('BASE_BACKUP')
  const pump = session.pump
  let noticedStartLsn: Lsn | undefined
  const untap = pump.tapNotices((notice) => {
    const match = OPENGAUSS_START_NOTICE.exec(notice.message)
    if (match?.[1]) {
      noticedStartLsn = parseLsn(match[1])
    }
  })
  const stall = options.stallTimeoutMs
  const timed: NextOptions = stall === undefined ? {} : { timeoutMs: stall, onTimeout: () => new StalledError(stall) }
  let finished = false
  let progress = 0
  const report = (bytes: number): void => {
    progress = bytes
    options.onProgress?.(bytes)
  }
  try {
    session.write(frontend.query(command))
    const head = await readResults(pump, true)
    if (head.end !== 'copyOutResponse') {
      throw new ProtocolError('BASE_BACKUP ended without sending any archive')
    }
    const start = position(head.results, 'start')
    const spaces = tablespaces(head.results)
    const xlogLink = dialect === 'opengauss' ? (head.results.find((result) => result.fields.length === 1 && result.fields[0]?.name !== 'recptr')?.rows[0]?.[0] ?? undefined) : undefined
    yield {
      kind: 'start',
      startLsn: start.lsn,
      timeline: start.timeline,
      tablespaces: spaces,
      ...(xlogLink !== undefined ? { xlogLink } : {}),
      ...(noticedStartLsn !== undefined ? { noticedStartLsn } : {}),
    }

    if (dialect === 'postgresql-copystream') {
      yield* copyStream(session, spaces, report, () => progress, timed)
    } else {
      for (const [index, entry] of spaces.entries()) {
        if (index > 0) {
          const between = await readResults(pump, true, timed)
          if (between.end !== 'copyOutResponse') {
            throw new ProtocolError(`BASE_BACKUP sent ${index} archives for ${spaces.length} tablespaces`)
          }
        }
        const base = progress
        const stream = new CopyReader(pump, legacyStep, timed, { onData: (bytesRead) => report(base + bytesRead) })
        yield { kind: 'archive', name: archiveName(entry), tablespaceOid: entry.oid, stream, readInto: (sink) => stream.readInto(sink) }
        await consumed(stream)
        yield { kind: 'progress', bytes: progress }
      }
    }

    let tail = await readResults(pump, true, timed)
    if (tail.end === 'copyOutResponse') {
      if (dialect !== 'postgresql-legacy') {
        throw new ProtocolError('BASE_BACKUP sent more archives than tablespaces')
      }
      const stream = new CopyReader(pump, legacyStep, timed)
      yield { kind: 'manifest', stream }
      await consumed(stream)
      tail = await readResults(pump, true, timed)
    }
    if (tail.end !== 'readyForQuery') {
      throw new ProtocolError('BASE_BACKUP sent more data after its manifest')
    }
    const end = position(tail.results, 'end')
    finished = true
    yield { kind: 'end', endLsn: end.lsn, timeline: end.timeline }
  } catch (error) {
    session.destroy(error instanceof Error ? error : undefined)
    throw error
  } finally {
    untap()
    if (!finished) {
      session.destroy(new ConnectionStateError('BASE_BACKUP was abandoned before its end; the connection was closed'))
    }
    release()
  }
}

/** PostgreSQL 15+: one CopyOut of typed messages. */
async function* copyStream(
  session: Session,
  spaces: readonly TablespaceEntry[],
  report: (bytes: number) => void,
  progress: () => number,
  timed: NextOptions
): AsyncGenerator<BaseBackupEvent, void, undefined> {
  const pump = session.pump
  // Inside an archive: 'd' is data; 'p' is progress; 'n', 'm' and CopyDone end it and are put back.
  const archiveStep = (message: BackendMessage): CopyStep => {
    if (message.name === 'copyDone') {
      return { kind: 'end', putBack: true }
    }
    if (message.name !== 'copyData') {
      throw new ProtocolError(`unexpected ${message.name} inside a BASE_BACKUP archive`)
    }
    const decoded = decodeCopyStreamMessage(message.data)
    switch (decoded.type) {
      case 'data':
        return { kind: 'data', data: decoded.data }
      case 'progress':
        report(decoded.bytes)
        return { kind: 'skip' }
      case 'newArchive':
      case 'manifest':
        return { kind: 'end', putBack: true }
    }
  }
  let sawManifest = false
  let lastReported = progress()
  for (;;) {
    const message = await pump.next(timed)
    if (message.name === 'copyDone') {
      if (progress() !== lastReported) {
        yield { kind: 'progress', bytes: progress() }
      }
      return
    }
    if (message.name === 'error') {
      throw new ServerError(message.fields)
    }
    if (message.name !== 'copyData') {
      throw new ProtocolError(`unexpected ${message.name} in the BASE_BACKUP copy stream`)
    }
    const decoded = decodeCopyStreamMessage(message.data)
    switch (decoded.type) {
      case 'progress':
        report(decoded.bytes)
        break
      case 'data':
        throw new ProtocolError('BASE_BACKUP sent data before naming an archive')
      case 'newArchive': {
        if (sawManifest) {
          throw new ProtocolError('BASE_BACKUP sent an archive after the manifest')
        }
        const entry = spaces.find((space) => (space.location ?? '') === decoded.location)
        const stream = new CopyReader(pump, archiveStep, timed, { dataPrefix: CopyStreamType.Data })
        yield { kind: 'archive', name: decoded.name, tablespaceOid: entry?.oid, stream, readInto: (sink) => stream.readInto(sink) }
        await consumed(stream)
        break
      }
      case 'manifest': {
        sawManifest = true
        const stream = new CopyReader(pump, archiveStep, timed, { dataPrefix: CopyStreamType.Data })
        yield { kind: 'manifest', stream }
        await consumed(stream)
        break
      }
    }
    if (progress() !== lastReported) {
      lastReported = progress()
      yield { kind: 'progress', bytes: lastReported }
    }
  }
}
