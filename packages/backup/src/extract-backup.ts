// `tidemark extract`: rebuilds a data directory from a tar-format backup (tidemark's,
// pg_basebackup's or gs_basebackup's, any compression) or from one archive file. The base archive
// goes into the target, pg_wal.tar into its pg_wal (pg_xlog on openGauss), each <oid> archive into
// its tablespace location, the pg_tblspc links point at the final locations, tablespace_map is
// consumed, and openGauss gets its double-write file. Nothing is written outside the target and the
// tablespace directories; a failure removes everything the run created.
import { resolve, join } from 'node:path'
import { extractEntries, prepareOpenGaussDoubleWrite, type ArchiveFormat, type Codec } from '@tidemark/archive'
import { walDirectoryName, type WalFlavor } from '@tidemark/wal'
import { CleanupTracker } from './cleanup-tracker.js'
import { syncTree } from './durable-sync.js'
import { abortableEntries, baseEntries, emptyBaseFacts, type BaseArchiveFacts } from './extract-base-entries.js'
import {
  describeBackupSource,
  findBackupLayout,
  openBackupArchive,
  type BackupArchive,
  type BackupArchiveRole,
  type BackupSource,
} from './extract-sources.js'
import { tablespaceLocations } from './extract-tablespace-locations.js'
import { BackupSourceError, TablespaceLocationError } from './errors.js'
import { relinkTablespace } from './move-aside.js'
import { prepareTargetDirectory } from './target-directory.js'
import type { TablespaceMapping } from './tablespace-mapping.js'

export interface ExtractProgress {
  /** Archive bytes read so far (as stored: compressed). */
  readonly doneBytes: number
  readonly totalBytes: number
  readonly archive: string
  readonly archiveNumber: number
  readonly archiveCount: number
}

export interface ExtractBackupOptions {
  /** A tar-format backup directory, one archive file, or a repository's backup (read as streams). */
  readonly source: BackupSource
  /** Created if missing; an existing directory must be empty. */
  readonly targetDir: string
  readonly tablespaceMappings?: readonly TablespaceMapping[] | undefined
  /** fsync what was written (default true). */
  readonly sync?: boolean | undefined
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((progress: ExtractProgress) => void) | undefined
  /** One line per step. */
  readonly onMessage?: ((text: string) => void) | undefined
}

export interface ExtractedArchive {
  readonly name: string
  readonly role: BackupArchiveRole
  readonly oid?: string | undefined
  readonly compression: Codec
  readonly format: ArchiveFormat
  readonly destination: string
  readonly files: number
  readonly bytes: number
}

export interface ExtractBackupResult {
  readonly targetDir: string
  readonly flavor: WalFlavor
  readonly archives: readonly ExtractedArchive[]
  /** Where each tablespace was put; pg_tblspc/<oid> links there. */
  readonly tablespaces: ReadonlyArray<{ readonly oid: string; readonly location: string }>
}

class Extraction {
  readonly #options: ExtractBackupOptions
  readonly #tracker: CleanupTracker
  readonly #totalBytes: number
  readonly #count: number
  #doneBytes = 0
  readonly archives: ExtractedArchive[] = []

  constructor(options: ExtractBackupOptions, tracker: CleanupTracker, archives: readonly BackupArchive[]) {
    this.#options = options
    this.#tracker = tracker
    this.#totalBytes = archives.reduce((sum, archive) => sum + archive.size, 0)
    this.#count = archives.length
  }

  log(text: string): void {
    this.#options.onMessage?.(text)
  }

  async extract(archive: BackupArchive, destination: string, facts?: BaseArchiveFacts): Promise<ArchiveFormat> {
    const { signal, onProgress } = this.#options
    const number = this.archives.length + 1
    const opened = await openBackupArchive(archive, {
      signal,
      onBytes: (bytes) => {
        this.#doneBytes += bytes
        onProgress?.({ doneBytes: this.#doneBytes, totalBytes: this.#totalBytes, archive: archive.name, archiveNumber: number, archiveCount: this.#count })
      },
    })
    this.log(`extracting ${archive.name} (${opened.format}, ${opened.compression === 'none' ? 'uncompressed' : opened.compression}) into ${destination}`)
    const entries = facts ? baseEntries(opened.entries, facts, signal) : abortableEntries(opened.entries, signal)
    const result = await extractEntries(entries, destination, { archive: archive.name, sync: this.#options.sync ?? true })
    this.archives.push({
      name: archive.name,
      role: archive.role,
      oid: archive.oid,
      compression: opened.compression,
      format: opened.format,
      destination,
      files: result.files,
      bytes: result.bytes,
    })
    return opened.format
  }

  async prepare(path: string, what: string): Promise<string> {
    return prepareTargetDirectory(path, this.#tracker, what)
  }
}

async function extractLayout(options: ExtractBackupOptions, target: string, tracker: CleanupTracker, archives: readonly BackupArchive[]): Promise<ExtractBackupResult> {
  const run = new Extraction(options, tracker, archives)
  const [base, ...rest] = archives
  if (base?.role !== 'base') {
    throw new BackupSourceError(`no base archive in "${describeBackupSource(options.source)}"`)
  }
  const facts = emptyBaseFacts()
  const baseFormat = await run.extract(base, target, facts)
  const flavor: WalFlavor = baseFormat === 'gs_tar' || facts.walDirectory === 'pg_xlog' ? 'opengauss' : 'postgresql'
  const locations = tablespaceLocations(facts, target, flavor, options.tablespaceMappings ?? [])
  for (const archive of rest) {
    if (archive.role === 'wal') {
      await run.extract(archive, join(target, facts.walDirectory ?? walDirectoryName(flavor)))
      continue
    }
    const oid = archive.oid ?? ''
    const location = locations.get(oid)
    if (location === undefined) {
      throw new TablespaceLocationError(
        `${archive.name}: tablespace ${oid} has no location: the base archive has neither a tablespace_map line nor a pg_tblspc/${oid} link for it`
      )
    }
    await run.extract(archive, await run.prepare(location, `tablespace directory of ${oid}`))
  }
  const extracted = new Set(rest.filter((archive) => archive.role === 'tablespace').map((archive) => archive.oid))
  for (const oid of locations.keys()) {
    if (!extracted.has(oid)) {
      throw new BackupSourceError(`the base archive names tablespace ${oid} but the backup holds no ${oid}.tar archive`)
    }
  }
  const tablespaces = [...locations].map(([oid, location]) => ({ oid, location }))
  for (const { oid, location } of tablespaces) {
    await relinkTablespace(target, oid, location)
    run.log(`linked pg_tblspc/${oid} to ${location}`)
  }
  if (tablespaces.length > 0 && options.sync !== false) {
    await syncTree(join(target, 'pg_tblspc'))
  }
  if (flavor === 'opengauss') {
    await prepareOpenGaussDoubleWrite(target)
    run.log('openGauss: recreated global/pg_dw.build (double-write step)')
  }
  return { targetDir: target, flavor, archives: run.archives, tablespaces }
}

/** Extracts a tar-format backup into an empty or new directory; see the file comment. */
export async function extractBackup(options: ExtractBackupOptions): Promise<ExtractBackupResult> {
  const layout = await findBackupLayout(options.source)
  if (layout.kind === 'plain') {
    throw new BackupSourceError(`"${layout.root}" is a plain backup (a data directory), not tar archives: copy it, or use tidemark restore`)
  }
  options.signal?.throwIfAborted()
  const target = resolve(options.targetDir)
  const tracker = new CleanupTracker()
  await prepareTargetDirectory(target, tracker, 'target directory')
  try {
    return await extractLayout(options, target, tracker, layout.archives)
  } catch (error) {
    await tracker.cleanup()
    throw error
  }
}
