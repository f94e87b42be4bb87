// `tidemark restore`: the reference's "Restoring Data from Backup Files" as one command. Refuse while
// the server runs (nothing touched); move the data directory and its tablespaces aside (never
// delete); lay the backup down (plain copy or tar extraction); point the tablespace links at their
// locations; optionally set the port; then print how to start it, or start it as its OS user and
// wait. A failure part-way removes what was laid down and puts the moved-aside data back.
import { readdir, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { isInside } from '@tidemark/archive'
import { extractBackup } from './extract-backup.js'
import type { ExtractProgress } from './extract-backup.js'
import { describeBackupSource, findBackupLayout, type BackupLayout, type BackupSource } from './extract-sources.js'
import { BackupUsageError, RestoreFailedError, RestoreServerRunningError } from './errors.js'
import { defaultAsideDir, linkedTablespaces, moveAside, putBack, type MoveAsidePlan, type MovedPath } from './move-aside.js'
import { dataDirMajor, findPgCtl, startServer } from './pg-ctl.js'
import { runningPostmasterPid } from './postmaster.js'
import { copyPlainBackup } from './restore-plain-copy.js'
import { chownTree, restoreOwner } from './restore-ownership.js'
import { setRestoredPort } from './restore-port.js'
import { mapTablespace, type TablespaceMapping } from './tablespace-mapping.js'

export interface RestoreBackupOptions {
  /** A plain backup (a data directory), a tar-format backup directory, one archive file, or a repository's backup. */
  readonly backup: BackupSource
  /** The data directory to restore into; its current contents are moved aside. */
  readonly dataDir: string
  /** Where the old data directory and its tablespaces go (default: a timestamped sibling). */
  readonly asideDir?: string | undefined
  readonly tablespaceMappings?: readonly TablespaceMapping[] | undefined
  /** Sets the restored server's port (postgresql.auto.conf; postgresql.conf on openGauss). */
  readonly port?: number | undefined
  /** Start the server as the data directory's OS user and wait until it accepts connections. */
  readonly start?: boolean | undefined
  /** Where pg_ctl is (default: the PATH and the usual install places, for the backup's major). */
  readonly pgBin?: string | undefined
  readonly sync?: boolean | undefined
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((progress: ExtractProgress) => void) | undefined
  /** Every step, one line each. */
  readonly onMessage?: ((text: string) => void) | undefined
}

export interface RestoreBackupResult {
  readonly dataDir: string
  /** Where the old data is kept; undefined when there was no data directory to move. */
  readonly asideDir: string | undefined
  readonly moved: readonly MovedPath[]
  readonly flavor: 'postgresql' | 'opengauss'
  readonly tablespaces: ReadonlyArray<{ readonly oid: string; readonly location: string }>
  readonly started: boolean
  /** The command that starts the restored server (as its OS user). */
  readonly startCommand: string
}

interface LaidDown {
  readonly flavor: 'postgresql' | 'opengauss'
  readonly tablespaces: ReadonlyArray<{ readonly oid: string; readonly location: string }>
}

async function layDown(layout: BackupLayout, options: RestoreBackupOptions, dataDir: string, oldTablespaces: Map<string, string>): Promise<LaidDown> {
  const mappings = options.tablespaceMappings ?? []
  if (layout.kind === 'plain') {
    const tablespaces = await copyPlainBackup(layout.root, dataDir, {
      // A -T mapping of the backup's location, else where the old data directory had that tablespace.
      locate: (oid, location) => (mappings.some((m) => m.oldDir === location) ? mapTablespace(location, mappings) : oldTablespaces.get(oid)),
      sync: options.sync ?? true,
      signal: options.signal,
      onMessage: options.onMessage,
    })
    return { flavor: 'postgresql', tablespaces }
  }
  const result = await extractBackup({
    source: options.backup,
    targetDir: dataDir,
    tablespaceMappings: mappings,
    sync: options.sync,
    signal: options.signal,
    onProgress: options.onProgress,
    onMessage: options.onMessage,
  })
  return { flavor: result.flavor, tablespaces: result.tablespaces }
}

/** Removes what the restore laid down outside the places putBack clears (tablespaces mapped elsewhere). */
async function removeLaidDown(dataDir: string, laid: LaidDown | undefined, plan: MoveAsidePlan | undefined): Promise<void> {
  const cleared = new Set((plan?.moved ?? []).map((move) => move.from))
  if (!cleared.has(dataDir)) {
    await rm(dataDir, { recursive: true, force: true })
  }
  for (const { location } of laid?.tablespaces ?? []) {
    if (!cleared.has(location)) {
      for (const name of await readdir(location).catch(() => [])) {
        await rm(join(location, name), { recursive: true, force: true })
      }
    }
  }
}

/** The server log of the first start: inside the data directory, which its OS user can write. */
const START_LOG = 'tidemark-restore-start.log'

function startCommandOf(dataDir: string): string {
  return `pg_ctl start -D ${dataDir} -l ${join(dataDir, START_LOG)}`
}

/** Restores a backup into dataDir; see the file comment. */
export async function restoreBackup(options: RestoreBackupOptions): Promise<RestoreBackupResult> {
  const log = (text: string): void => options.onMessage?.(text)
  const dataDir = resolve(options.dataDir)
  const layout = await findBackupLayout(options.backup)
  const pid = await runningPostmasterPid(dataDir)
  if (pid !== undefined) {
    throw new RestoreServerRunningError(dataDir, pid)
  }
  log(`step 1: the server of ${dataDir} is not running`)
  const asideDir = resolve(options.asideDir ?? defaultAsideDir(dataDir))
  if (isInside(asideDir, dataDir)) {
    throw new BackupUsageError(`--move-aside "${asideDir}" is inside the data directory "${dataDir}"; name a place beside it`)
  }
  options.signal?.throwIfAborted()
  const owner = await restoreOwner(dataDir)
  const oldTablespaces = new Map((await linkedTablespaces(dataDir)).map(({ oid, location }) => [oid, location]))
  let plan: MoveAsidePlan | undefined
  const exists = await readdir(dataDir).then(
    () => true,
    () => false
  )
  if (exists) {
    plan = await moveAside(dataDir, asideDir)
    for (const move of plan.moved) {
      log(`step 2: moved ${move.from} aside to ${move.to}`)
    }
  } else {
    log(`step 2: ${dataDir} does not exist; nothing to move aside`)
  }
  let laid: LaidDown | undefined
  try {
    log(`step 3-4: laying down the ${layout.kind} backup ${describeBackupSource(options.backup)} in ${dataDir}`)
    laid = await layDown(layout, options, dataDir, oldTablespaces)
    for (const { oid, location } of laid.tablespaces) {
      log(`step 5: pg_tblspc/${oid} points to ${location}`)
    }
    if (owner) {
      for (const path of [dataDir, ...laid.tablespaces.map((tablespace) => tablespace.location)]) {
        await chownTree(path, owner)
      }
      log(`step 5: gave the restored files to uid ${owner.uid} (the old data directory's owner)`)
    }
    if (options.port !== undefined) {
      const file = await setRestoredPort(dataDir, laid.flavor, options.port)
      log(`step 5: port ${options.port} set in ${file}`)
    }
    options.signal?.throwIfAborted()
  } catch (error) {
    await removeLaidDown(dataDir, laid, plan)
    if (plan) {
      await putBack(plan)
      await rm(plan.asideDir, { recursive: true, force: true })
      log(`restore failed; put ${plan.moved.map((move) => move.from).join(', ')} back`)
    }
    if (options.signal?.aborted) {
      throw error
    }
    const kept = plan ? 'the old data was put back' : 'what it laid down was removed'
    throw new RestoreFailedError(`restore failed and ${kept}: ${(error as Error).message}`, { cause: error })
  }
  const startCommand = startCommandOf(dataDir)
  let started = false
  if (options.start) {
    try {
      const pgCtl = await findPgCtl(await dataDirMajor(dataDir), options.pgBin)
      const logFile = join(dataDir, START_LOG)
      log(`step 6: starting the server with ${pgCtl} (log: ${logFile})`)
      await startServer({ dataDir, pgCtl, logFile })
    } catch (error) {
      // The backup is laid down and the old data is aside: only the start is left to the user.
      log(`step 6: the backup is restored in ${dataDir} but the server did not start; start it as its OS user with: ${startCommand}`)
      throw error
    }
    started = true
    log('step 6: the server accepts connections')
  } else {
    log(`step 6: start it as its OS user with: ${startCommand}`)
  }
  return {
    dataDir,
    asideDir: plan?.asideDir,
    moved: plan?.moved ?? [],
    flavor: laid.flavor,
    tablespaces: laid.tablespaces,
    started,
    startCommand,
  }
}
