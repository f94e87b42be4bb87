// The base backup engine the CLI and the agent share: one BASE_BACKUP connection, a second one
// streaming WAL (-X stream), each archive written as the format wants it, then the manifest, the
// standby configuration (-R) and fsync. Any failure or abort stops both streams and removes what
// the run created (or keeps it, marked incomplete, with --no-clean).
import { mkdir, rename, symlink, writeFile, open } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Readable } from 'node:stream'
import { codecSpec, codecSuffix, createTarPacker, prepareOpenGaussDoubleWrite, type CodecSpec } from '@tidemark/archive'
import { planStandbyFiles, writeStandbyConfig, type ServerKind, type StandbySettings } from '@tidemark/recovery'
import { DEFAULT_SEGMENT_SIZE, formatLsn, parseLsn, segmentStartLsn, segmentNumberOfLsn, walDirectoryName } from '@tidemark/wal'
import type { ArchiveSink, ConnectOptions, Connection } from '@tidemark/wire'
import { checkBaseBackupOptions, checkServerSupports } from './basebackup-checks.js'
import { fileDestination, repositoryDestination, type ArchiveDestination } from './backup-output.js'
import { checkRepositorySystem } from './basebackup-repository-checks.js'
import type { BackupMessage, BaseBackupOptions, BaseBackupResult } from './basebackup-options.js'
import { CleanupTracker } from './cleanup-tracker.js'
import { syncTree } from './durable-sync.js'
import { BackupFailedError, BackupInterruptedError } from './errors.js'
import { checkTablespaceTargets, placeTablespaces, plainBaseRewrite, type PlacedTablespace } from './plain-layout.js'
import { extractServerArchive, extractServerArchiveDirect, readAll, writeServerArchive } from './server-archive.js'
import { checkTargetDirectory, prepareTargetDirectory } from './target-directory.js'
import { repackWithFiles } from './tar-repack.js'
import { FileSink } from './file-sink.js'
import { DirectoryWalSink, TarWalSink, type WalSink } from './wal-sink.js'
import { startWalStreamer, type WalStreamer } from './wal-streamer.js'
import { connectForBackup } from './replication-target.js'
import { slotMinimumLsn, walSegmentSize } from './server-facts.js'

const OPENGAUSS_START_NOTICE = /full build is: [0-9A-F]+\/[0-9A-F]+\. The slot minimum LSN is: ([0-9A-F]+\/[0-9A-F]+)/

/** A server that says nothing for this long (status interval plus a bound) has hung or gone. */
function stallBoundMs(statusIntervalSeconds: number): number {
  return Math.max(statusIntervalSeconds, 10) * 1000 + 20_000
}

function positive(lsn: bigint | undefined): bigint | undefined {
  return lsn === undefined || lsn === 0n ? undefined : lsn
}

interface RunState {
  readonly options: BaseBackupOptions
  readonly tracker: CleanupTracker
  readonly targetDir: string
  readonly say: (level: BackupMessage['level'], text: string) => void
  connection?: Connection | undefined
  replicationOptions?: ConnectOptions
  streamer?: WalStreamer
  walSink?: WalSink
  walArchive?: Promise<number>
  placed: PlacedTablespace[]
  totalBytes: number
  doneBytes: number
  archivesDone: number
  archiveCount: number
  bytesWritten: number
  files: string[]
}

function clientCodec(options: BaseBackupOptions): CodecSpec | undefined {
  const { compression } = options
  if (compression.location !== 'client' || compression.method === 'none' || options.format !== 'tar') {
    return undefined
  }
  return codecSpec(compression.method, compression.level)
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason : new BackupInterruptedError(String(reason ?? 'SIGINT'))
}

/** Takes a base backup as gs_basebackup/pg_basebackup would, with the options' meaning unchanged. */
export async function runBaseBackup(options: BaseBackupOptions): Promise<BaseBackupResult> {
  checkBaseBackupOptions(options)
  const targetDir = options.repository ? options.targetDir : resolve(options.targetDir)
  if (!options.repository) {
    await checkTargetDirectory(targetDir, 'backup directory')
  }
  if (options.walDir !== undefined) {
    await checkTargetDirectory(options.walDir, 'WAL directory')
  }
  const state: RunState = {
    options,
    tracker: new CleanupTracker(),
    targetDir,
    say: (level, text) => options.onMessage?.({ level, text }),
    placed: [],
    totalBytes: 0,
    doneBytes: 0,
    archivesDone: 0,
    archiveCount: 0,
    bytesWritten: 0,
    files: [],
  }
  const startTime = new Date()
  const controller = new AbortController()
  const onAbort = (): void => controller.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', onAbort, { once: true })
  if (options.signal?.aborted) {
    throw abortError(options.signal)
  }
  try {
    return await backUp(state, controller, startTime)
  } catch (error) {
    // An abort's reason (a signal, or the WAL streamer's failure) explains more than the closed connection it caused.
    const failure = controller.signal.aborted ? abortError(controller.signal) : error
    controller.abort(failure)
    await state.streamer?.abort(failure as Error).catch(() => undefined)
    await state.walSink?.abort(failure as Error).catch(() => undefined)
    await state.connection?.close().catch(() => undefined)
    await state.walArchive?.catch(() => undefined)
    if (options.clean) {
      await state.tracker.cleanup()
      // A repository backup without its record is unfinished: everything under its id goes.
      const target = options.repository
      // (A directory repository's storage removes the directories that leaves empty.)
      await target?.repository.remove(target.id).catch((error: unknown) => {
        state.say('warning', `could not remove backup ${target.id} from ${target.repository.url}: ${(error as Error).message}; remove it by hand`)
      })
    } else {
      await state.tracker.markIncomplete(String((failure as Error).message ?? failure))
    }
    throw wrapFailure(failure)
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
  }
}

function wrapFailure(error: unknown): Error {
  if (error instanceof Error && 'code' in error && 'exitCode' in error) {
    return error
  }
  const message = error instanceof Error ? error.message : String(error)
  return new BackupFailedError(`backup failed: ${message}`, { cause: error })
}

async function backUp(state: RunState, controller: AbortController, startTime: Date): Promise<BaseBackupResult> {
  const { options, say } = state
  const signal = controller.signal
  // Either stream failing, or SIGINT/SIGTERM, stops both: closing the BASE_BACKUP connection ends
  // whatever archive is being read, and the catch in runBaseBackup closes the WAL streamer.
  const abortRun = (error: Error): void => controller.abort(error)
  signal.addEventListener('abort', () => void state.connection?.close().catch(() => undefined), { once: true })
  say('verbose', 'connecting to the server')
  let noticedSlotMinimum: bigint | undefined
  const { connection, replicationOptions } = await connectForBackup({
    ...options.connection,
    onNotice: (notice) => {
      // openGauss announces the start in an INFO notice; Tidemark prints its own INFO line for every flavor.
      const announced = OPENGAUSS_START_NOTICE.exec(notice.message)
      if (announced?.[1] !== undefined) {
        noticedSlotMinimum = parseLsn(announced[1])
        return
      }
      say(notice.severity === 'WARNING' ? 'warning' : 'notice', `${notice.severity}:  ${notice.message}`)
    },
  })
  state.connection = connection
  state.replicationOptions = replicationOptions
  const server = connection.server
  checkServerSupports(options, server)
  // The slots' minimum LSN (for the INFO line) comes over a second, ordinary connection: asked for
  // now, it arrives while the replication connection identifies the system and starts the backup.
  const slotMinimumAsked = server.flavor === 'postgresql' ? slotMinimumLsn(options.connection) : Promise.resolve(undefined)
  slotMinimumAsked.catch(() => undefined)
  const identity = await connection.identifySystem()
  if (options.repository) {
    await checkRepositorySystem(options.repository.repository, identity.systemId)
  }
  // openGauss ends a replication session on any command it does not know (SHOW among them): 16 MB there.
  const segmentSize = server.flavor === 'postgresql' ? await walSegmentSize(connection) : DEFAULT_SEGMENT_SIZE
  const walDirName = walDirectoryName(server.flavor)
  const legacyTar = server.flavor === 'postgresql' && server.major < 15
  const codec = clientCodec(options)
  const serverCompression =
    options.compression.location === 'server' && options.compression.method !== 'none'
      ? { method: options.compression.method, ...(options.compression.level !== undefined ? { detail: `level=${options.compression.level}` } : {}) }
      : undefined
  say('verbose', `initiating base backup, waiting for checkpoint to complete`)
  const events = connection.baseBackup({
    label: options.label,
    progress: options.estimateSize,
    fastCheckpoint: options.checkpoint === 'fast',
    includeWal: options.walMethod === 'fetch',
    waitForWalArchive: false,
    ...(options.maxRateKb !== undefined ? { maxRateKbPerSecond: options.maxRateKb } : {}),
    ...(server.flavor === 'postgresql' && options.manifest
      ? { manifest: 'yes' as const, manifestChecksums: options.manifestChecksums }
      : {}),
    ...(serverCompression ? { compression: serverCompression } : {}),
    // gs_basebackup asks for a tablespace_map in tar mode; the links then come from the map.
    ...(server.flavor === 'opengauss' && options.format === 'tar' ? { tablespaceMap: true } : {}),
    stallTimeoutMs: stallBoundMs(options.statusIntervalSeconds),
  })
  let startLsn = 0n
  let endLsn = 0n
  let timeline = identity.timeline
  let manifest: Buffer | undefined
  const progress = (bytes: number): void => {
    state.doneBytes += bytes
    options.onProgress?.({
      doneBytes: state.doneBytes,
      totalBytes: state.totalBytes,
      tablespaceNumber: state.archivesDone,
      tablespaceCount: state.archiveCount,
    })
  }
  for await (const event of events) {
    signal.throwIfAborted()
    switch (event.kind) {
      case 'start': {
        startLsn = event.startLsn
        timeline = event.timeline ?? timeline
        say('verbose', 'checkpoint completed')
        const infoStart = formatLsn(event.noticedStartLsn ?? startLsn)
        const minimum = (await slotMinimumAsked) ?? positive(noticedSlotMinimum) ?? event.noticedStartLsn ?? startLsn
        say('info', `INFO:  The starting position of the xlog of the full build is: ${infoStart}. The slot minimum LSN is: ${formatLsn(minimum)}.`)
        say('verbose', `write-ahead log start point: ${formatLsn(startLsn)} on timeline ${timeline}`)
        const tablespaces = event.tablespaces.filter((t) => t.oid !== undefined && t.location !== undefined)
        state.placed = placeTablespaces(
          tablespaces.map((t) => ({ oid: t.oid as number, location: t.location as string })),
          state.targetDir,
          options.tablespaceMappings
        )
        state.archiveCount = event.tablespaces.length
        state.totalBytes = event.tablespaces.reduce((sum, t) => sum + (t.size ?? 0), 0)
        if (options.format === 'plain') {
          await checkTablespaceTargets(state.placed)
        }
        if (!options.repository) {
          await prepareTargetDirectory(state.targetDir, state.tracker, 'backup directory')
        }
        if (options.format === 'plain') {
          for (const tablespace of state.placed.filter((t) => !t.insideDataDir)) {
            await prepareTargetDirectory(tablespace.target, state.tracker, 'tablespace directory')
          }
          await preparePlainWalDir(state, walDirName)
        }
        if (options.walMethod === 'stream') {
          await startStreaming(state, {
            startLsn: segmentStartLsn(segmentNumberOfLsn(startLsn, segmentSize), segmentSize),
            timeline,
            segmentSize,
            walDirName,
            codec,
            signal,
            onFailure: (error) => abortRun(error),
          })
        }
        break
      }
      case 'archive': {
        const name = event.name
        say('verbose', `receiving ${name}`)
        await receiveArchive(state, event, {
          name,
          tablespaceOid: event.tablespaceOid,
          gsTar: server.flavor === 'opengauss',
          legacyTar,
          codec,
          walDirName,
          signal,
          progress,
        })
        state.archivesDone += 1
        break
      }
      case 'manifest': {
        manifest = await readAll(event.stream)
        break
      }
      case 'progress':
        break
      case 'end': {
        options.onProgress?.({
          doneBytes: state.doneBytes,
          totalBytes: Math.max(state.totalBytes, state.doneBytes),
          tablespaceNumber: state.archiveCount,
          tablespaceCount: state.archiveCount,
          final: true,
        })
        endLsn = event.endLsn
        timeline = event.timeline ?? timeline
        say('verbose', `write-ahead log end point: ${formatLsn(endLsn)}`)
        break
      }
    }
  }
  await connection.close()
  state.connection = undefined
  if (state.streamer) {
    say('verbose', 'waiting for background process to finish streaming ...')
    await state.streamer.finish(endLsn)
    await state.walSink?.finish()
    if (state.walArchive) {
      state.bytesWritten += await state.walArchive
    }
  }
  if (options.format === 'plain' && server.flavor === 'opengauss') {
    // gs_basebackup's dual-write step: the server leaves the double-write files out; a fresh one is made.
    await prepareOpenGaussDoubleWrite(state.targetDir)
  }
  if (manifest) {
    if (options.repository) {
      await options.repository.repository.putFile(options.repository.id, 'backup_manifest', manifest, { signal })
    } else {
      await writeFileNew(join(state.targetDir, 'backup_manifest'), manifest, options.sync)
    }
    state.files.push('backup_manifest')
  }
  if (options.writeRecoveryConf && options.format === 'plain') {
    writeStandbyFiles(state, server)
  }
  // A repository's storage makes each file durable before its put resolves.
  if (options.sync && !options.repository) {
    say('verbose', 'syncing data to disk ...')
    for (const dir of [state.targetDir, ...(options.walDir ? [resolve(options.walDir)] : []), ...state.placed.filter((t) => !t.insideDataDir).map((t) => t.target)]) {
      await syncTree(dir)
    }
  }
  say('verbose', 'base backup completed')
  return {
    targetDir: state.targetDir,
    format: options.format,
    label: options.label,
    flavor: server.flavor,
    serverMajor: server.major,
    systemIdentifier: identity.systemId,
    timeline,
    startLsn: formatLsn(startLsn),
    endLsn: formatLsn(endLsn),
    startTime,
    endTime: new Date(),
    // Plain backups write what they receive; tar ones count the (compressed) archive files.
    bytes: options.format === 'plain' ? state.doneBytes : state.bytesWritten,
    files: state.files,
    segmentSize,
  }
}

async function preparePlainWalDir(state: RunState, walDirName: string): Promise<void> {
  const { options } = state
  const inBackup = join(state.targetDir, walDirName)
  if (options.walDir !== undefined) {
    const walDir = await prepareTargetDirectory(options.walDir, state.tracker, 'WAL directory')
    await symlink(walDir, inBackup)
  } else {
    await mkdir(inBackup, { mode: 0o700 })
  }
}

interface StreamingSetup {
  readonly startLsn: bigint
  readonly timeline: number
  readonly segmentSize: number
  readonly walDirName: string
  readonly codec: CodecSpec | undefined
  readonly signal: AbortSignal
  readonly onFailure: (error: Error) => void
}

async function startStreaming(state: RunState, setup: StreamingSetup): Promise<void> {
  const { options, say } = state
  if (options.format === 'plain') {
    state.walSink = new DirectoryWalSink(join(state.targetDir, setup.walDirName), setup.timeline, setup.segmentSize, options.sync)
  } else {
    const packer = createTarPacker()
    const name = `${setup.walDirName}.tar${codecSuffix(setup.codec?.codec ?? 'none')}`
    state.files.push(name)
    state.walArchive = writeServerArchive(packer.stream, {
      destination: archiveDestination(state, name, setup.signal),
      gsTar: false,
      appendEndMarker: false,
      compression: setup.codec,
      archive: name,
      signal: setup.signal,
    })
    state.walArchive.catch(() => undefined)
    const sink = new TarWalSink(packer, setup.timeline, setup.segmentSize)
    const finish = sink.finish.bind(sink)
    sink.finish = async () => {
      await finish()
      packer.finalize()
    }
    state.walSink = sink
  }
  say('verbose', 'starting background WAL receiver')
  state.streamer = await startWalStreamer({
    connection: state.replicationOptions ?? options.connection,
    startLsn: setup.startLsn,
    timeline: setup.timeline,
    statusIntervalSeconds: options.statusIntervalSeconds,
    slot: options.slot,
    createSlot: options.createSlot,
    temporarySlot: options.slot === undefined && !options.noSlot,
    sink: state.walSink,
    onMessage: (text) => say('verbose', text),
    onFailure: setup.onFailure,
  })
}

interface ArchiveSetup {
  readonly name: string
  readonly tablespaceOid: number | undefined
  readonly gsTar: boolean
  readonly legacyTar: boolean
  readonly codec: CodecSpec | undefined
  readonly walDirName: string
  readonly signal: AbortSignal
  readonly progress: (bytes: number) => void
}

/** What the server sends of one archive: as a stream, or synchronously into a sink. */
interface ArchiveSource {
  readonly stream: Readable
  readonly readInto: (sink: ArchiveSink) => Promise<void>
}

/** Tar's end-of-archive marker: two zero blocks. */
const END_OF_ARCHIVE = Buffer.alloc(1024)

/** A tar-format archive stored as a file of the backup; returns the bytes written. */
async function storeTarArchive(state: RunState, source: ArchiveSource, setup: ArchiveSetup): Promise<number> {
  const { options } = state
  // Server-compressed archives arrive named .tar.gz/.lz4/.zst and are stored as they are.
  const stored = setup.name.endsWith('.tar') ? `${setup.name}${codecSuffix(setup.codec?.codec ?? 'none')}` : setup.name
  const repack = options.writeRecoveryConf && setup.tablespaceOid === undefined && setup.name.endsWith('.tar')
  state.files.push(stored)
  if (!options.repository && !setup.gsTar && !setup.codec && !repack) {
    // Stored as the server sends it: straight from the socket into the file.
    const sink = new FileSink(join(state.targetDir, stored), setup.progress)
    try {
      await source.readInto(sink)
      sink.finish(setup.legacyTar ? END_OF_ARCHIVE : undefined)
    } finally {
      sink.close()
    }
    return sink.bytesWritten
  }
  const destination = archiveDestination(state, stored, setup.signal)
  if (repack) {
    return repackWithFiles(source.stream, {
      destination,
      gsTar: setup.gsTar,
      codec: setup.codec,
      archive: setup.name,
      onBytes: setup.progress,
      signal: setup.signal,
      files: (existing) => standbyFilesFor(state, existing),
    })
  }
  return writeServerArchive(source.stream, {
    destination,
    gsTar: setup.gsTar,
    appendEndMarker: setup.legacyTar,
    compression: setup.codec,
    archive: setup.name,
    onBytes: setup.progress,
    signal: setup.signal,
  })
}

async function receiveArchive(state: RunState, source: ArchiveSource, setup: ArchiveSetup): Promise<void> {
  const { options } = state
  if (options.format === 'tar') {
    state.bytesWritten += await storeTarArchive(state, source, setup)
    return
  }
  const tablespace = state.placed.find((t) => t.oid === setup.tablespaceOid)
  const target = setup.tablespaceOid === undefined ? state.targetDir : tablespace?.target
  if (target === undefined) {
    throw new BackupFailedError(`the server sent an archive for tablespace ${setup.tablespaceOid}, which its header did not list`)
  }
  const allowedRoots = [
    ...state.placed.map((t) => t.target),
    ...(options.walDir !== undefined ? [resolve(options.walDir)] : []),
  ]
  const extract = {
    targetDir: target,
    archive: setup.name,
    allowedRoots,
    sync: false,
    rewrite: setup.tablespaceOid === undefined ? plainBaseRewrite(state.placed, options.walDir !== undefined ? setup.walDirName : undefined) : undefined,
    onBytes: setup.progress,
  }
  if (setup.name.endsWith('.tar')) {
    // Uncompressed: parsed and written straight from the socket's read buffer.
    await extractServerArchiveDirect(source.readInto, { ...extract, gsTar: setup.gsTar })
    return
  }
  await extractServerArchive(source.stream, extract)
}

/** Where a tar-format file goes: a new file in the backup directory, or an object of the repository's backup. */
function archiveDestination(state: RunState, name: string, signal: AbortSignal): ArchiveDestination {
  const target = state.options.repository
  return target ? repositoryDestination(target.repository, target.id, name, signal) : fileDestination(join(state.targetDir, name))
}

/** Writes a new file durably: temp name, fsync, rename (never over an existing file). */
async function writeFileNew(path: string, content: Buffer | string, sync: boolean): Promise<void> {
  const temp = `${path}.tmp`
  await writeFile(temp, content, { flag: 'wx', mode: 0o600 })
  if (sync) {
    const handle = await open(temp, 'r')
    await handle.sync()
    await handle.close()
  }
  await rename(temp, path)
}

function standbyConninfo(state: RunState): string {
  const connection = state.options.connection
  const parts: string[] = []
  const add = (key: string, value: string | number | undefined): void => {
    if (value !== undefined && value !== '') {
      parts.push(`${key}='${String(value).replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`)
    }
  }
  add('user', connection.user ?? process.env.PGUSER)
  add('host', connection.host ?? process.env.PGHOST)
  add('port', connection.port ?? process.env.PGPORT)
  add('application_name', 'walreceiver')
  if (connection.connectionString && parts.length === 0) {
    return connection.connectionString
  }
  return parts.join(' ')
}

/** The server as @tidemark/recovery names it. */
function serverKind(server: { flavor: 'postgresql' | 'opengauss'; major: number }): ServerKind {
  return server.flavor === 'opengauss' ? { flavor: 'opengauss' } : { flavor: 'postgresql', major: server.major }
}

function standbySettings(state: RunState): StandbySettings {
  return {
    primaryConninfo: standbyConninfo(state),
    ...(state.options.slot !== undefined ? { primarySlotName: state.options.slot } : {}),
  }
}

function standbyFilesFor(
  state: RunState,
  existing: { autoConf?: string | undefined; postgresqlConf?: string | undefined }
): Array<{ name: string; content: string }> {
  const server = state.connection?.server
  return server ? planStandbyFiles(serverKind(server), standbySettings(state), { ...existing, standbySignal: false }) : []
}

/** -R in plain format: recovery's own (durable) writer puts the standby files into the backup. */
function writeStandbyFiles(state: RunState, server: { flavor: 'postgresql' | 'opengauss'; major: number }): void {
  const files = writeStandbyConfig({ dataDir: state.targetDir, server: serverKind(server), standby: standbySettings(state) })
  state.say('verbose', `wrote standby configuration: ${files.map((f) => f.name).join(', ')}`)
}
