// What a backup holds, found from its names: a plain data directory, or a directory of archives
// written with -F tar (base, pg_wal, one per tablespace oid) plus backup_manifest, or one archive
// file. The format and compression of each archive are recognised later from its bytes.
import { createReadStream } from 'node:fs'
import { lstat, readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Readable } from 'node:stream'
import { openArchive, type OpenedArchive } from '@tidemark/archive'
import { BackupSourceError } from './errors.js'
import { repositoryBackupLayout, type RepositoryBackupSource } from './repository-source.js'

/** A backup path (a directory or one archive file), or a backup of a repository by id. */
export type BackupSource = string | RepositoryBackupSource

/** The source for messages: the absolute path, or <repository>/backups/<id>. */
export function describeBackupSource(source: BackupSource): string {
  return typeof source === 'string' ? resolve(source) : `${source.repository.url}/backups/${source.id}`
}

export type BackupArchiveRole = 'base' | 'wal' | 'tablespace'

export interface BackupArchive {
  readonly name: string
  /** The file, or <repository>/backups/<id>/data/<name> (for messages) when read is set. */
  readonly path: string
  /** Reads the archive from storage; absent: the file at path. */
  readonly read?: ((signal: AbortSignal | undefined) => Promise<Readable>) | undefined
  readonly role: BackupArchiveRole
  /** Tablespace archives only. */
  readonly oid?: string | undefined
  readonly size: number
}

export type BackupLayout =
  | { readonly kind: 'plain'; readonly root: string }
  | {
      readonly kind: 'tar'
      /** Base first, then pg_wal, then tablespaces by oid. */
      readonly archives: readonly BackupArchive[]
      /** backup_manifest beside the archives, when there is one. */
      readonly manifestPath: string | undefined
      /** Reads the manifest from storage; absent: the file at manifestPath. */
      readonly readManifest?: (() => Promise<Buffer>) | undefined
    }

/** `base.tar`, `pg_wal.tar`, `16385.tar`, each optionally `.gz`, `.lz4` or `.zst`. */
const ARCHIVE_NAME = /^(base|pg_wal|pg_xlog|\d+)\.tar(?:\.gz|\.lz4|\.zst)?$/

const ROLE_ORDER: Record<BackupArchiveRole, number> = { base: 0, wal: 1, tablespace: 2 }

/** The role of an archive from its name, or undefined for other files. */
export function archiveRole(name: string): { role: BackupArchiveRole; oid?: string } | undefined {
  const stem = ARCHIVE_NAME.exec(name)?.[1]
  if (stem === undefined) {
    return undefined
  }
  if (stem === 'base') {
    return { role: 'base' }
  }
  if (stem === 'pg_wal' || stem === 'pg_xlog') {
    return { role: 'wal' }
  }
  return { role: 'tablespace', oid: stem }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false
  )
}

/** Sorts a backup's archives: base first, then pg_wal, then tablespaces by oid. */
export function sortArchives(archives: BackupArchive[]): BackupArchive[] {
  return archives.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || Number(a.oid ?? 0) - Number(b.oid ?? 0))
}

/** Looks at a backup (a directory, an archive file, or a repository's backup) without reading any archive. */
export async function findBackupLayout(source: BackupSource): Promise<BackupLayout> {
  if (typeof source !== 'string') {
    return repositoryBackupLayout(source)
  }
  const path = resolve(source)
  const info = await stat(path).catch(() => undefined)
  if (!info) {
    throw new BackupSourceError(`backup "${path}" does not exist`)
  }
  if (info.isFile()) {
    return { kind: 'tar', archives: [{ name: path.split('/').at(-1) ?? path, path, role: 'base', size: info.size }], manifestPath: undefined }
  }
  if (!info.isDirectory()) {
    throw new BackupSourceError(`backup "${path}" is neither a directory nor an archive file`)
  }
  if (await exists(join(path, 'PG_VERSION'))) {
    return { kind: 'plain', root: path }
  }
  const archives: BackupArchive[] = []
  for (const name of (await readdir(path)).sort()) {
    const found = archiveRole(name)
    if (found) {
      const size = (await stat(join(path, name))).size
      archives.push({ name, path: join(path, name), role: found.role, oid: found.oid, size })
    }
  }
  const bases = archives.filter((archive) => archive.role === 'base')
  if (bases.length !== 1) {
    throw new BackupSourceError(
      bases.length === 0
        ? `"${path}" holds no base archive (base.tar[.gz|.lz4|.zst]) and no PG_VERSION: not a backup`
        : `"${path}" holds more than one base archive (${bases.map((archive) => archive.name).join(', ')})`
    )
  }
  sortArchives(archives)
  const manifestPath = join(path, 'backup_manifest')
  return { kind: 'tar', archives, manifestPath: (await exists(manifestPath)) ? manifestPath : undefined }
}

export interface OpenBackupArchiveOptions {
  readonly signal?: AbortSignal | undefined
  /** Called with the number of (compressed) bytes read from the file, as they are read. */
  readonly onBytes?: ((bytes: number) => void) | undefined
}

/** Opens one archive of a backup: compression and format from its bytes, entries as they are read. */
export async function openBackupArchive(archive: BackupArchive, options: OpenBackupArchiveOptions = {}): Promise<OpenedArchive> {
  const stream = archive.read
    ? await archive.read(options.signal)
    : createReadStream(archive.path, { highWaterMark: 1 << 20, ...(options.signal ? { signal: options.signal } : {}) })
  async function* counted(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        options.onBytes?.(chunk.length)
        yield chunk
      }
    } finally {
      stream.destroy()
    }
  }
  return openArchive(counted(), { archive: archive.name })
}
