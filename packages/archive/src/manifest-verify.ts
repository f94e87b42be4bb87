// Checking backup files against a parsed backup_manifest, as pg_verifybackup does: every listed
// file present with its size and checksum, no unlisted file except those PostgreSQL leaves out of
// manifests. Files come from any source: a directory walk (`directoryFiles`) or tar entries
// (`tarFiles`), so tar backups are verified without extracting them.
import { createReadStream } from 'node:fs'
import { opendir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { createFileChecksum } from './checksum.js'
import type { ParsedManifest, ParsedManifestFile } from './manifest-parser.js'
import type { TarEntry } from './tar-entry.js'

/** Paths pg_verifybackup ignores by default (and everything below them). */
export const MANIFEST_IGNORED_PATHS: readonly string[] = ['backup_manifest', 'pg_wal', 'postgresql.auto.conf', 'recovery.signal', 'standby.signal']

/** Whether a relative path is ignored: equal to an ignored path or inside it. */
export function isIgnoredPath(path: string, ignored: readonly string[] = MANIFEST_IGNORED_PATHS): boolean {
  return ignored.some((entry) => path === entry || path.startsWith(`${entry}/`))
}

/** One file of a backup as a verifier sees it. */
export interface BackupFile {
  /** Relative to the backup root, '/'-separated (tablespace files under pg_tblspc/<oid>/). */
  readonly path: string
  readonly size: number
  /** The content, read only when a checksum must be computed. */
  readonly body?: AsyncIterable<Uint8Array>
}

export type VerifyProblemKind = 'missing' | 'extra' | 'size-mismatch' | 'checksum-mismatch' | 'duplicate'

export interface VerifyProblem {
  readonly kind: VerifyProblemKind
  readonly path: string
  readonly message: string
}

export interface VerifyResult {
  readonly ok: boolean
  readonly problems: readonly VerifyProblem[]
  /** Files present and listed (checked for size, and checksum where there is one). */
  readonly checkedFiles: number
  readonly checkedBytes: number
}

export interface VerifyOptions {
  /** Replaces MANIFEST_IGNORED_PATHS. */
  readonly ignore?: readonly string[]
  /** Sizes only (pg_verifybackup --skip-checksums). */
  readonly skipChecksums?: boolean
}

/** Incremental verifier: `check` each file as it comes, then `finish` to report missing files. */
export class ManifestVerifier {
  readonly #expected: Map<string, ParsedManifestFile>
  readonly #seen = new Set<string>()
  readonly #problems: VerifyProblem[] = []
  readonly #ignore: readonly string[]
  readonly #skipChecksums: boolean
  #checkedFiles = 0
  #checkedBytes = 0

  constructor(manifest: ParsedManifest, options: VerifyOptions = {}) {
    this.#expected = new Map(manifest.files.map((file) => [file.path, file]))
    this.#ignore = options.ignore ?? MANIFEST_IGNORED_PATHS
    this.#skipChecksums = options.skipChecksums ?? false
  }

  #report(kind: VerifyProblemKind, path: string, message: string): void {
    this.#problems.push({ kind, path, message })
  }

  /** Checks one file; reads its body when a checksum is due. */
  async check(file: BackupFile): Promise<void> {
    if (isIgnoredPath(file.path, this.#ignore)) {
      return
    }
    const expected = this.#expected.get(file.path)
    if (!expected) {
      this.#report('extra', file.path, `"${file.path}" is present on disk but not in the manifest`)
      return
    }
    if (this.#seen.has(file.path)) {
      this.#report('duplicate', file.path, `"${file.path}" appears more than once`)
      return
    }
    this.#seen.add(file.path)
    if (file.size !== expected.size) {
      this.#report('size-mismatch', file.path, `"${file.path}" has size ${file.size} on disk but size ${expected.size} in the manifest`)
      return
    }
    this.#checkedFiles++
    this.#checkedBytes += file.size
    if (this.#skipChecksums || expected.checksumAlgorithm === 'NONE' || !file.body) {
      return
    }
    const checksum = createFileChecksum(expected.checksumAlgorithm)
    let read = 0
    for await (const chunk of file.body) {
      checksum.update(chunk)
      read += chunk.length
    }
    if (read !== expected.size) {
      this.#report('size-mismatch', file.path, `"${file.path}" should contain ${expected.size} bytes but read ${read} bytes`)
      return
    }
    const actual = checksum.digest()
    if (actual !== expected.checksum) {
      this.#report('checksum-mismatch', file.path, `checksum mismatch for file "${file.path}"`)
    }
  }

  /** Reports the listed files never seen, and returns the outcome. */
  finish(): VerifyResult {
    for (const path of this.#expected.keys()) {
      if (!this.#seen.has(path) && !isIgnoredPath(path, this.#ignore)) {
        this.#report('missing', path, `"${path}" is present in the manifest but not on disk`)
      }
    }
    return { ok: this.#problems.length === 0, problems: [...this.#problems], checkedFiles: this.#checkedFiles, checkedBytes: this.#checkedBytes }
  }
}

/** Verifies a whole stream of files against a manifest. */
export async function verifyBackupFiles(manifest: ParsedManifest, files: AsyncIterable<BackupFile>, options: VerifyOptions = {}): Promise<VerifyResult> {
  const verifier = new ManifestVerifier(manifest, options)
  for await (const file of files) {
    await verifier.check(file)
  }
  return verifier.finish()
}

/**
 * The regular files below a plain backup directory, following symbolic links (pg_tblspc/<oid>)
 * as pg_verifybackup does. Bodies are opened lazily.
 */
export async function* directoryFiles(root: string, relative = ''): AsyncGenerator<BackupFile> {
  const dir = await opendir(join(root, relative))
  const names: string[] = []
  for await (const entry of dir) {
    names.push(entry.name)
  }
  names.sort()
  for (const name of names) {
    const path = relative ? `${relative}/${name}` : name
    const info = await stat(join(root, path))
    if (info.isDirectory()) {
      yield* directoryFiles(root, path)
    } else if (info.isFile()) {
      const full = join(root, path)
      yield {
        path,
        size: info.size,
        body: {
          [Symbol.asyncIterator]: (): AsyncIterator<Uint8Array> =>
            (createReadStream(full, { highWaterMark: 256 * 1024 }) as AsyncIterable<Uint8Array>)[Symbol.asyncIterator](),
        },
      }
    }
  }
}

/**
 * The files of a tar backup archive, for verification without extraction. `prefix` places a
 * tablespace archive (`pg_tblspc/<oid>/`) or pg_wal.tar (`pg_wal/`) in the backup's namespace.
 */
export async function* tarFiles(entries: AsyncIterable<TarEntry>, prefix = ''): AsyncGenerator<BackupFile> {
  const base = prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix
  for await (const { header, body } of entries) {
    if (header.type === 'file') {
      yield { path: `${base}${header.name}`, size: header.size, body }
    }
  }
}
