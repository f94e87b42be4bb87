// basebackup --repo: a tar-format backup streamed into a repository under a new id, each archive
// straight from the server into storage (no local copy), the backup_manifest after them and the
// record (backup.json) last. A failed or interrupted run removes everything stored under the id.
import type { BaseBackupOptions, BaseBackupResult } from './basebackup-options.js'
import { runBaseBackup } from './basebackup.js'
import { BACKUPS_DIR } from './catalog/backup-catalog.js'
import { newBackupId } from './catalog/backup-id.js'
import type { BackupRecord } from './catalog/backup-record.js'
import type { CompressionSpec } from './compression-spec.js'
import type { BackupRepository } from './repository/backup-repository.js'

export interface RepositoryBackupOptions extends Omit<BaseBackupOptions, 'targetDir' | 'repository' | 'format'> {
  readonly repository: BackupRepository
  /** Default: newBackupId() at the start. */
  readonly id?: string | undefined
}

export interface RepositoryBackupResult {
  readonly id: string
  readonly record: BackupRecord
  readonly result: BaseBackupResult
}

/** 'none', or the method (and level) the archives were compressed with, e.g. 'gzip:5' or 'server-zstd'. */
export function compressionLabel(compression: CompressionSpec): string {
  if (compression.method === 'none') {
    return 'none'
  }
  const method = compression.location === 'server' ? `server-${compression.method}` : compression.method
  return compression.level === undefined ? method : `${method}:${compression.level}`
}

/** The record of a finished backup. */
export function backupRecordOf(id: string, result: BaseBackupResult, compression: CompressionSpec, walMethod: string): BackupRecord {
  return {
    id,
    label: result.label,
    startLsn: result.startLsn,
    endLsn: result.endLsn,
    timeline: result.timeline,
    startTime: result.startTime.toISOString(),
    endTime: result.endTime.toISOString(),
    systemIdentifier: result.systemIdentifier,
    bytes: result.bytes,
    flavor: result.flavor,
    serverMajor: result.serverMajor,
    format: 'tar',
    compression: compressionLabel(compression),
    verified: false,
    ...(result.segmentSize !== undefined ? { segmentSize: result.segmentSize } : {}),
    walMethod,
    files: [...result.files],
  }
}

/** Takes a tar-format base backup into the repository; see the file comment. */
export async function backUpToRepository(options: RepositoryBackupOptions): Promise<RepositoryBackupResult> {
  const { repository, id: givenId, ...rest } = options
  const id = givenId ?? newBackupId()
  const target = { repository, id }
  const result = await runBaseBackup({ ...rest, format: 'tar', targetDir: `${repository.url}/${BACKUPS_DIR}/${id}`, repository: target })
  const record = backupRecordOf(id, result, options.compression, options.walMethod)
  try {
    options.signal?.throwIfAborted()
    await repository.writeRecord(record)
  } catch (error) {
    if (options.clean) {
      await repository.remove(id).catch(() => undefined)
    }
    throw error
  }
  return { id, record, result }
}
