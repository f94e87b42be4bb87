// `tidemark verify`: checks a plain or tar backup (compressed or not) against its backup_manifest
// as pg_verifybackup does — every listed file present with its size and checksum, nothing
// unexpected — reading tar archives without extracting them, and checks that the WAL from the
// backup's start to its end LSN is in the backup and sound. Problems are collected, never thrown:
// the result names each with its file.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  ManifestVerifier,
  directoryFiles,
  parseManifest,
  tarFiles,
  type BackupFile,
  type ParsedManifest,
} from '@tidemark/archive'
import { isSegmentFileName } from '@tidemark/wal'
import { describeBackupSource, findBackupLayout, openBackupArchive, type BackupArchive, type BackupSource } from './extract-sources.js'
import type { BackupProblem } from './verify-problem.js'
import { WalChecker } from './verify-wal.js'

export interface VerifyProgress {
  readonly doneBytes: number
  readonly totalBytes: number
  /** The archive or file being read. */
  readonly file: string
}

export interface VerifyBackupOptions {
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((progress: VerifyProgress) => void) | undefined
  /** Sizes only, no checksums (pg_verifybackup --skip-checksums). */
  readonly skipChecksums?: boolean | undefined
  /** Leave the WAL out (pg_verifybackup --no-parse-wal): for -X none backups whose WAL is archived. */
  readonly skipWal?: boolean | undefined
}

export interface VerifyBackupResult {
  /** True when there is no problem at all. */
  readonly ok: boolean
  readonly problems: readonly BackupProblem[]
  readonly backup: string
  readonly format: 'plain' | 'tar'
  /** Files found in the manifest and checked (size, and checksum where there is one). */
  readonly checkedFiles: number
  readonly checkedBytes: number
  /** WAL segment files read and checked. */
  readonly walSegments: number
  /** The manifest's WAL ranges (empty without a manifest). */
  readonly walRanges: ReadonlyArray<{ readonly timeline: number; readonly startLsn: string; readonly endLsn: string }>
}

const WAL_DIRS = ['pg_wal', 'pg_xlog']

/** The segment name when `path` is a WAL segment in the backup's WAL directory. */
function walSegmentName(path: string): string | undefined {
  const slash = path.indexOf('/')
  const name = path.slice(slash + 1)
  return slash > 0 && WAL_DIRS.includes(path.slice(0, slash)) && isSegmentFileName(name) ? name : undefined
}

async function loadManifest(
  path: string | undefined,
  problems: BackupProblem[],
  read: () => Promise<Buffer> = async () => readFile(path ?? '')
): Promise<ParsedManifest | undefined> {
  if (path === undefined) {
    problems.push({ kind: 'manifest', file: 'backup_manifest', detail: 'the backup has no backup_manifest: its files cannot be verified' })
    return undefined
  }
  try {
    return parseManifest(await read())
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const detail = code === 'ENOENT' ? 'the backup has no backup_manifest: its files cannot be verified' : (error as Error).message
    problems.push({ kind: 'manifest', file: 'backup_manifest', detail })
    return undefined
  }
}

class Verification {
  readonly problems: BackupProblem[] = []
  readonly verifier: ManifestVerifier | undefined
  readonly wal: WalChecker
  readonly #options: VerifyBackupOptions
  readonly #totalBytes: number
  #doneBytes = 0

  constructor(manifest: ParsedManifest | undefined, options: VerifyBackupOptions, totalBytes: number) {
    this.#options = options
    this.#totalBytes = totalBytes
    this.verifier = manifest ? new ManifestVerifier(manifest, { skipChecksums: options.skipChecksums === true }) : undefined
    this.wal = new WalChecker(manifest?.walRanges ?? [], manifest?.systemIdentifier)
  }

  progress(bytes: number, file: string): void {
    this.#doneBytes += bytes
    this.#options.onProgress?.({ doneBytes: this.#doneBytes, totalBytes: this.#totalBytes, file })
  }

  /** One file of the backup: WAL segments to the WAL checker, everything else to the manifest verifier. */
  async file(file: BackupFile): Promise<void> {
    this.#options.signal?.throwIfAborted()
    const segment = walSegmentName(file.path)
    if (segment !== undefined && file.body) {
      await this.wal.add(file.path, segment, file.body)
    } else {
      await this.verifier?.check(file)
    }
  }
}

async function verifyArchives(run: Verification, archives: readonly BackupArchive[], signal: AbortSignal | undefined): Promise<void> {
  for (const archive of archives) {
    const prefix = archive.role === 'base' ? '' : archive.role === 'wal' ? 'pg_wal' : `pg_tblspc/${archive.oid ?? ''}`
    try {
      const opened = await openBackupArchive(archive, { signal, onBytes: (bytes) => run.progress(bytes, archive.name) })
      for await (const file of tarFiles(opened.entries, prefix)) {
        await run.file(file)
      }
    } catch (error) {
      signal?.throwIfAborted()
      run.problems.push({ kind: 'archive', file: archive.name, detail: (error as Error).message })
    }
  }
}

async function verifyDirectory(run: Verification, root: string): Promise<void> {
  for await (const file of directoryFiles(root)) {
    await run.file(file)
    run.progress(file.size, file.path)
  }
}

/** Verifies a backup directory (plain or tar), one archive, or a repository's backup (streamed); see the file comment. */
export async function verifyBackup(path: BackupSource, options: VerifyBackupOptions = {}): Promise<VerifyBackupResult> {
  const layout = await findBackupLayout(path)
  const problems: BackupProblem[] = []
  const manifestPath = layout.kind === 'plain' ? join(layout.root, 'backup_manifest') : layout.manifestPath
  const manifest = await loadManifest(manifestPath, problems, layout.kind === 'tar' ? layout.readManifest : undefined)
  const totalBytes =
    layout.kind === 'plain'
      ? (manifest?.files.reduce((sum, file) => sum + file.size, 0) ?? 0)
      : layout.archives.reduce((sum, archive) => sum + archive.size, 0)
  const run = new Verification(manifest, options, totalBytes)
  run.problems.push(...problems)
  if (layout.kind === 'plain') {
    await verifyDirectory(run, layout.root)
  } else {
    await verifyArchives(run, layout.archives, options.signal)
  }
  const checked = run.verifier?.finish()
  for (const problem of checked?.problems ?? []) {
    run.problems.push({ kind: problem.kind, file: problem.path, detail: problem.message })
  }
  if (manifest && options.skipWal !== true) {
    run.problems.push(...run.wal.finish('pg_wal'))
  }
  return {
    ok: run.problems.length === 0,
    problems: run.problems,
    backup: layout.kind === 'plain' ? layout.root : describeBackupSource(path),
    format: layout.kind,
    checkedFiles: checked?.checkedFiles ?? 0,
    checkedBytes: checked?.checkedBytes ?? 0,
    walSegments: run.wal.segmentsSeen,
    walRanges: manifest?.walRanges ?? [],
  }
}
