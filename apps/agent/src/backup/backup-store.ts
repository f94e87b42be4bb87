// Where the agent keeps its backups: the on-disk catalog of a directory repository (plain and tar
// backups), or a BackupRepository on object storage (s3://: tar backups streamed straight into it).
// Routes, jobs, metrics and start-up only use this interface.
import { directorySize, BACKUPS_DIR, type BackupCatalog, type BackupRecord, type BackupRepository } from '@tidemark/backup'
import { AgentInternalError } from '../errors.js'
import type { AgentBackupRequest, AgentBackupResult, AgentVerifyRequest } from '../jobs/runners.js'

export type BackupFormat = 'plain' | 'tar'

/** Where a new backup goes: the fields of AgentBackupRequest that name it. */
export type BackupDestination = Pick<AgentBackupRequest, 'targetDir' | 'repository'>

export interface BackupStore {
  /** The formats it can hold. */
  readonly formats: readonly BackupFormat[]
  /** Finished backups, oldest first. */
  list(): Promise<BackupRecord[]>
  read(id: string): Promise<BackupRecord | undefined>
  /** Unfinished backups that can only be left by a crash of this agent, to remove at start-up. */
  leftByCrash(): Promise<string[]>
  /** Removes a backup and everything stored under its id. */
  remove(id: string): Promise<void>
  markVerified(id: string, verified: boolean): Promise<BackupRecord>
  /** Makes room for a new backup. */
  prepare(id: string): Promise<BackupDestination>
  /** Records a finished backup and returns its record. */
  finish(id: string, result: AgentBackupResult, request: Pick<AgentBackupRequest, 'format' | 'compress'>, destination: BackupDestination): Promise<BackupRecord>
  /** Where verify reads the backup. */
  verifySource(id: string): Pick<AgentVerifyRequest, 'backupDir' | 'repository'>
}

/** A directory repository's catalog (backups/<id>/data and backup.json on disk). */
export class CatalogBackupStore implements BackupStore {
  readonly formats: readonly BackupFormat[] = ['plain', 'tar']
  readonly catalog: BackupCatalog

  constructor(catalog: BackupCatalog) {
    this.catalog = catalog
  }

  list(): Promise<BackupRecord[]> {
    return this.catalog.list()
  }

  read(id: string): Promise<BackupRecord | undefined> {
    return this.catalog.read(id)
  }

  leftByCrash(): Promise<string[]> {
    return this.catalog.unfinished()
  }

  remove(id: string): Promise<void> {
    return this.catalog.remove(id)
  }

  markVerified(id: string, verified: boolean): Promise<BackupRecord> {
    return this.catalog.markVerified(id, verified)
  }

  async prepare(id: string): Promise<BackupDestination> {
    return { targetDir: await this.catalog.create(id) }
  }

  async finish(
    id: string,
    result: AgentBackupResult,
    request: Pick<AgentBackupRequest, 'format' | 'compress'>,
    destination: BackupDestination
  ): Promise<BackupRecord> {
    // The engine reports bytes written for tar; a plain directory is measured on disk.
    const bytes = result.bytes > 0 ? result.bytes : await directorySize(destination.targetDir)
    const record: BackupRecord = {
      id,
      label: result.label,
      startLsn: result.startLsn,
      endLsn: result.endLsn,
      timeline: result.timeline,
      startTime: result.startTime.toISOString(),
      endTime: result.endTime.toISOString(),
      systemIdentifier: result.systemIdentifier,
      bytes,
      flavor: result.flavor,
      serverMajor: result.serverMajor,
      format: request.format,
      compression: request.compress,
      verified: false,
    }
    await this.catalog.record(record)
    return record
  }

  verifySource(id: string): Pick<AgentVerifyRequest, 'backupDir' | 'repository'> {
    return { backupDir: this.catalog.dataDirectoryOf(id) }
  }
}

/** A storage repository's backups (tidemark basebackup --repo's layout), tar only. */
export class RepositoryBackupStore implements BackupStore {
  readonly formats: readonly BackupFormat[] = ['tar']
  readonly repository: BackupRepository

  constructor(repository: BackupRepository) {
    this.repository = repository
  }

  list(): Promise<BackupRecord[]> {
    return this.repository.list()
  }

  read(id: string): Promise<BackupRecord | undefined> {
    return this.repository.read(id)
  }

  // tidemark basebackup --repo may be writing into the same bucket: an id without a record is not
  // necessarily ours, so nothing is removed at start-up (tidemark expire removes stale ones).
  async leftByCrash(): Promise<string[]> {
    return []
  }

  remove(id: string): Promise<void> {
    return this.repository.remove(id)
  }

  async markVerified(id: string, verified: boolean): Promise<BackupRecord> {
    const record = await this.repository.read(id)
    if (!record) {
      throw new AgentInternalError(`backup ${id} has no record in ${this.repository.url}`)
    }
    const { verifiedAt: _previous, ...rest } = record
    const updated: BackupRecord = verified ? { ...rest, verified, verifiedAt: new Date().toISOString() } : { ...rest, verified }
    await this.repository.writeRecord(updated)
    return updated
  }

  async prepare(id: string): Promise<BackupDestination> {
    return { targetDir: `${this.repository.url}/${BACKUPS_DIR}/${id}`, repository: { repository: this.repository, id } }
  }

  async finish(id: string, result: AgentBackupResult): Promise<BackupRecord> {
    // The engine wrote the record (backup.json, last) itself.
    const record = result.record ?? (await this.repository.read(id))
    if (!record) {
      throw new AgentInternalError(`backup ${id} finished but ${this.repository.url} holds no record of it`)
    }
    return record
  }

  verifySource(id: string): Pick<AgentVerifyRequest, 'backupDir' | 'repository'> {
    return { backupDir: `${this.repository.url}/${BACKUPS_DIR}/${id}`, repository: { repository: this.repository, id } }
  }
}
