// `tidemark pitr`: the reference's PITR procedure as one engine call. Preflight before anything is
// touched (pitr-preflight); lay the backup into the data directory with restoreBackup (the old one
// moved aside); empty pg_wal; restore_command and the target into the recovery configuration, and
// the port; as root, give the files to the data directory's (or its parent's) owner; with `start`,
// start the server as that user and wait until recovery stops, and say where and why.
import { join, resolve } from 'node:path'
import {
  detectServer,
  readServerTimeZone,
  resolveRecoverySettings,
  writeRecoveryConfig,
  type ResolvedRecovery,
  type ServerKind,
} from '@tidemark/recovery'
import { BackupFailedError, BackupUsageError } from './errors.js'
import { findBackupLayout, type BackupSource } from './extract-sources.js'
import { pickPitrBackup } from './pitr-pick-backup.js'
import { openWalRepository, type WalRepository } from '@tidemark/wal'
import type { PitrOptions, PitrResult, PitrStop } from './pitr-options.js'
import { dataDirConnection } from './pitr-connection.js'
import { pitrOwner } from './pitr-owner.js'
import { pitrPreflight } from './pitr-preflight.js'
import { emptyWalDirectory } from './pitr-wal-dir.js'
import { waitForRecoveryStop } from './pitr-wait.js'
import { dataDirMajor, findPgCtl, startServer } from './pg-ctl.js'
import { restoreBackup } from './restore-backup.js'
import { chownTree } from './restore-ownership.js'

/** The server log of the recovery start, inside the data directory (its OS user can write there). */
export const PITR_START_LOG = 'tidemark-pitr-start.log'

function resolveFor(options: PitrOptions, server: ServerKind, timeZone: string | undefined): ResolvedRecovery {
  return resolveRecoverySettings({ ...options.target, restoreCommand: options.restoreCommand }, server, { timeZone })
}

/** The settings the preflight checks: resolved against the plain backup's own files, or a PostgreSQL guess for tar. */
async function preliminarySettings(options: PitrOptions & { readonly backup: BackupSource }): Promise<ResolvedRecovery> {
  // Usage errors (two targets, a bad LSN…) before the backup is even looked at.
  resolveFor(options, { flavor: 'postgresql', major: 18 }, 'UTC')
  const layout = await findBackupLayout(options.backup)
  if (layout.kind === 'plain') {
    const zone = options.target?.targetTime === undefined ? undefined : readServerTimeZone(layout.root).zone
    return resolveFor(options, detectServer(layout.root), zone)
  }
  try {
    return resolveFor(options, { flavor: 'postgresql', major: 18 }, undefined)
  } catch {
    // A time without a zone: read in the server's zone once its files are laid down.
    return resolveFor({ ...options, target: { ...options.target, targetTime: undefined } }, { flavor: 'postgresql', major: 18 }, undefined)
  }
}

async function startAndWait(options: PitrOptions, dataDir: string): Promise<PitrStop> {
  const log = (text: string): void => options.onMessage?.(text)
  const pgCtl = await findPgCtl(await dataDirMajor(dataDir), options.pgBin)
  const logFile = join(dataDir, PITR_START_LOG)
  log(`step 5: starting the server with ${pgCtl} (log: ${logFile})`)
  let startError: unknown
  try {
    await startServer({ dataDir, pgCtl, logFile })
  } catch (error) {
    // A target never reached, or a shutdown at the target, ends the server before pg_ctl sees it run.
    if (!(error instanceof BackupFailedError)) {
      throw error
    }
    startError = error
  }
  const connection = await dataDirConnection(dataDir, options.connection, options.port)
  log(`step 5: waiting until recovery stops (reading its state at ${connection.host ?? ''}:${connection.port ?? ''})`)
  try {
    return await waitForRecoveryStop({ dataDir, logFile, connection, signal: options.signal })
  } catch (error) {
    throw startError ?? error
  }
}

/** The backup of options, or the one pickPitrBackup chooses from the repository's. */
async function backupToRecover(options: PitrOptions): Promise<BackupSource> {
  if (options.backup !== undefined) {
    return options.backup
  }
  if (!options.backups) {
    throw new BackupUsageError('no backup: name one (--backup), or give the repository holding the backups')
  }
  // Usage errors (two targets, a bad LSN…) before the repository is read.
  resolveFor(options, { flavor: 'postgresql', major: 18 }, 'UTC')
  const picked = await pickPitrBackup(options, options.backups, walRepositoryOf(options))
  options.onMessage?.(`step 0: recovering from ${picked.reason}`)
  return { repository: picked.repository, id: picked.id }
}

function walRepositoryOf(options: PitrOptions): WalRepository {
  return options.walRepository ?? openWalRepository(repoLocation(options.repo), options.env ?? process.env, { s3: options.s3 ?? {}, tokenFile: options.tokenFile })
}

/** A URL (s3://, http://) is not a path. */
function repoLocation(repo: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) ? repo : resolve(repo)
}

/** Runs a point-in-time recovery; see the file comment. Returns where recovery stopped (with `start`). */
export async function runPitr(request: PitrOptions): Promise<PitrResult> {
  // A repository opened here (an s3:// one holds sockets) is closed here.
  const walRepository = walRepositoryOf(request)
  try {
    return await recover({ ...request, walRepository })
  } finally {
    if (request.walRepository === undefined) {
      await walRepository.close?.()
    }
  }
}

async function recover(request: PitrOptions & { readonly walRepository: WalRepository }): Promise<PitrResult> {
  const backup = await backupToRecover(request)
  const options = { ...request, backup }
  const log = (text: string): void => options.onMessage?.(text)
  const dataDir = resolve(options.dataDir)
  const preliminary = await preliminarySettings(options)
  const preflight = await pitrPreflight({
    backup: options.backup,
    repo: repoLocation(options.repo),
    walRepository: options.walRepository,
    settings: preliminary.settings,
    signal: options.signal,
    onMessage: options.onMessage,
  })
  options.signal?.throwIfAborted()
  const owner = await pitrOwner(dataDir)
  if (options.start && process.getuid?.() === 0 && owner === undefined) {
    throw new BackupUsageError(
      `"${dataDir}" and its parent directory are owned by root and PostgreSQL refuses to run as root: ` +
        `chown the parent directory (or the data directory) to the database OS user, or leave out --start; nothing was changed`
    )
  }
  const restored = await restoreBackup({
    backup: options.backup,
    dataDir,
    asideDir: options.asideDir,
    sync: options.sync,
    signal: options.signal,
    // restoreBackup's own step 6 (how to start) is pitr's step 5.
    onMessage: (text) => (/^step 6:/.test(text) ? undefined : log(`step 2: ${text.replace(/^step [0-9-]+: /, '')}`)),
  })
  const wal = await emptyWalDirectory(dataDir, restored.flavor)
  log(`step 3: emptied ${wal.name} (${wal.removed} entries): every segment comes from the repository`)
  const server = detectServer(dataDir)
  const zone = options.target?.targetTime === undefined ? undefined : readServerTimeZone(dataDir)
  const { settings, assumedTimeZone } = resolveFor(options, server, zone?.zone)
  const written = writeRecoveryConfig({ dataDir, server, settings, port: options.port })
  log(`step 4: restore_command = ${options.restoreCommand}`)
  log(`step 4: wrote ${written.map((file) => file.name).join(', ')}${options.port === undefined ? '' : ` (port ${options.port})`}`)
  if (assumedTimeZone !== undefined) {
    log(`step 4: the target time has no zone: read in ${assumedTimeZone} (the server's timezone)`)
  }
  if (owner) {
    for (const path of [dataDir, ...restored.tablespaces.map((tablespace) => tablespace.location)]) {
      await chownTree(path, owner)
    }
    log(`step 4: gave the data directory to uid ${owner.uid} (the owner of the old data directory or of its parent)`)
  }
  const startCommand = `pg_ctl start -D ${dataDir} -l ${join(dataDir, PITR_START_LOG)}`
  const stop = options.start ? await startAndWait(options, dataDir) : undefined
  if (!options.start) {
    log(`step 5: start it as its OS user with: ${startCommand}`)
  }
  return {
    dataDir,
    asideDir: restored.asideDir,
    preflight,
    restoreCommand: options.restoreCommand,
    port: options.port,
    startCommand,
    stop,
  }
}
