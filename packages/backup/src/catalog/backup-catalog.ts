// The on-disk backup catalog of a repository directory:
//
//   <repo>/backups/<id>/data/          the backup's files (plain data directory or tar archives)
//   <repo>/backups/<id>/backup.json    its record (backup-record.ts), written last: a directory
//                                      without it is an unfinished or failed backup
//
// Records are written durably (temp file, fsync, rename, fsync of the directory).
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { makeDirectoryDurably, syncDirectory, writeFileDurably } from '@tidemark/wal'
import { BackupFailedError, TargetNotEmptyError } from '../errors.js'
import { checkBackupId, isBackupId } from './backup-id.js'
import { formatBackupRecord, oldestFirst, parseBackupRecord, type BackupRecord } from './backup-record.js'

export const BACKUPS_DIR = 'backups'
export const BACKUP_RECORD_FILE = 'backup.json'
export const BACKUP_DATA_DIR = 'data'

export class BackupCatalog {
  /** The repository directory (holding backups/). */
  readonly root: string
  readonly #backups: string

  constructor(repositoryDir: string) {
    this.root = resolve(repositoryDir)
    this.#backups = join(this.root, BACKUPS_DIR)
  }

  /** backups/<id>; the id is checked first, so no path escapes the catalog. */
  directoryOf(id: string): string {
    return join(this.#backups, checkBackupId(id))
  }

  /** Where the backup's own files go (the basebackup target directory). */
  dataDirectoryOf(id: string): string {
    return join(this.directoryOf(id), BACKUP_DATA_DIR)
  }

  /** Creates backups/<id>/ (refusing an existing one) and returns the data directory to fill. */
  async create(id: string): Promise<string> {
    const dir = this.directoryOf(id)
    try {
      await makeDirectoryDurably(this.#backups)
      await mkdir(dir, { mode: 0o750 })
      await syncDirectory(this.#backups)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new TargetNotEmptyError(dir, 'backup directory')
      }
      throw new BackupFailedError(`could not create ${dir}: ${(error as Error).message}`, { cause: error })
    }
    return this.dataDirectoryOf(id)
  }

  /** Writes (or replaces) the record of a backup whose directory exists. */
  async record(record: BackupRecord): Promise<void> {
    const path = join(this.directoryOf(record.id), BACKUP_RECORD_FILE)
    try {
      await writeFileDurably(path, [Buffer.from(formatBackupRecord(record))], { mode: 0o640 })
    } catch (error) {
      throw new BackupFailedError(`could not write ${path}: ${(error as Error).message}`, { cause: error })
    }
  }

  /** The record of a finished backup, or undefined when there is none. */
  async read(id: string): Promise<BackupRecord | undefined> {
    const path = join(this.directoryOf(id), BACKUP_RECORD_FILE)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined
      }
      throw new BackupFailedError(`could not read ${path}: ${(error as Error).message}`, { cause: error })
    }
    const record = parseBackupRecord(text, path)
    if (record.id !== id) {
      throw new BackupFailedError(`${path} describes backup ${record.id}, not ${id}`)
    }
    return record
  }

  /** Every finished backup, oldest first (by start time, then end LSN). */
  async list(): Promise<BackupRecord[]> {
    const records: BackupRecord[] = []
    for (const id of await this.#ids()) {
      const record = await this.read(id)
      if (record) {
        records.push(record)
      }
    }
    return records.sort(oldestFirst)
  }

  /** Ids of backup directories without a record: running, or left by a crash. */
  async unfinished(): Promise<string[]> {
    const ids: string[] = []
    for (const id of await this.#ids()) {
      if (!(await this.read(id))) {
        ids.push(id)
      }
    }
    return ids
  }

  /** Removes a backup directory and everything in it (a failed or aborted run's leftovers). */
  async remove(id: string): Promise<void> {
    const dir = this.directoryOf(id)
    try {
      await rm(dir, { recursive: true, force: true })
      await syncDirectory(this.#backups)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return
      }
      throw new BackupFailedError(`could not remove ${dir}: ${(error as Error).message}`, { cause: error })
    }
  }

  /** Sets the verified flag of a finished backup and returns the new record. */
  async markVerified(id: string, verified: boolean, at: Date = new Date()): Promise<BackupRecord> {
    const record = await this.read(id)
    if (!record) {
      throw new BackupFailedError(`backup ${id} has no record in ${this.root}`)
    }
    const { verifiedAt: _previous, ...rest } = record
    const updated: BackupRecord = verified ? { ...rest, verified, verifiedAt: at.toISOString() } : { ...rest, verified }
    await this.record(updated)
    return updated
  }

  async #ids(): Promise<string[]> {
    let names: string[]
    try {
      names = await readdir(this.#backups)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return []
      }
      throw new BackupFailedError(`could not list ${this.#backups}: ${(error as Error).message}`, { cause: error })
    }
    return names.filter(isBackupId).sort()
  }
}
