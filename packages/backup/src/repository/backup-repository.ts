// The backups of a repository (a directory or an S3 bucket, through @tidemark/storage), in the layout
// the agent's on-disk catalog uses too:
//
//   backups/<id>/data/<file>       the backup's archives (base.tar.gz, <oid>.tar, pg_wal.tar, backup_manifest)
//   backups/<id>/backup.json       its record, written last: an id without it is unfinished or failed
//
// WAL lives beside it under wal/ (@tidemark/wal), so one location holds both.
import type { Readable } from 'node:stream'
import type { GetOptions, ObjectInfo, PutResult, Storage, StorageBody } from '@tidemark/storage'
import { BACKUP_DATA_DIR, BACKUP_RECORD_FILE, BACKUPS_DIR } from '../catalog/backup-catalog.js'
import { checkBackupId, isBackupId } from '../catalog/backup-id.js'
import { formatBackupRecord, oldestFirst, parseBackupRecord, type BackupRecord } from '../catalog/backup-record.js'
import { BackupFailedError } from '../errors.js'
import { readAll } from '../server-archive.js'

/** A file of a backup: its name under data/ and its size. */
export interface BackupFile {
  readonly name: string
  readonly size: number
}

export class BackupRepository {
  readonly storage: Storage

  constructor(storage: Storage) {
    this.storage = storage
  }

  /** The repository's URL, for messages. */
  get url(): string {
    return this.storage.url
  }

  /** backups/<id>/data/<name>; the id is checked, so no key escapes the backup. */
  fileKey(id: string, name: string): string {
    return `${BACKUPS_DIR}/${checkBackupId(id)}/${BACKUP_DATA_DIR}/${name}`
  }

  recordKey(id: string): string {
    return `${BACKUPS_DIR}/${checkBackupId(id)}/${BACKUP_RECORD_FILE}`
  }

  /** Stores one file of a backup, create-only: a backup's files are never replaced. */
  async putFile(
    id: string,
    name: string,
    body: StorageBody,
    options: { readonly size?: number; readonly signal?: AbortSignal } = {}
  ): Promise<PutResult> {
    return this.storage.put(this.fileKey(id, name), body, { ...options, createOnly: true })
  }

  /** Reads one file of a backup (or a range of it) as a stream. */
  async getFile(id: string, name: string, options: GetOptions = {}): Promise<Readable> {
    return this.storage.get(this.fileKey(id, name), options)
  }

  /** The files of a backup, in name order. */
  async files(id: string): Promise<BackupFile[]> {
    const prefix = `${BACKUPS_DIR}/${checkBackupId(id)}/${BACKUP_DATA_DIR}/`
    const files: BackupFile[] = []
    for await (const object of this.storage.list(prefix)) {
      files.push({ name: object.key.slice(prefix.length), size: object.size })
    }
    return files
  }

  /** Writes (or replaces) a backup's record; written after every file, it marks the backup finished. */
  async writeRecord(record: BackupRecord): Promise<void> {
    await this.storage.put(this.recordKey(record.id), Buffer.from(formatBackupRecord(record)))
  }

  /** Notes a passed verification (checksums included) in the backup's record; false when it has none. */
  async markVerified(id: string, at: Date = new Date()): Promise<boolean> {
    const record = await this.read(id)
    if (!record) {
      return false
    }
    await this.writeRecord({ ...record, verified: true, verifiedAt: at.toISOString() })
    return true
  }

  /** The record of a finished backup, or undefined when there is none. */
  async read(id: string): Promise<BackupRecord | undefined> {
    const key = this.recordKey(id)
    if (!(await this.storage.head(key))) {
      return undefined
    }
    const text = (await readAll(await this.storage.get(key))).toString('utf8')
    const where = `${this.url}/${key}`
    const record = parseBackupRecord(text, where)
    if (record.id !== id) {
      throw new BackupFailedError(`${where} describes backup ${record.id}, not ${id}`)
    }
    return record
  }

  /** Every finished backup, oldest first (by start time, then id). */
  async list(): Promise<BackupRecord[]> {
    const records: BackupRecord[] = []
    for (const id of await this.ids()) {
      const record = await this.read(id)
      if (record) {
        records.push(record)
      }
    }
    return records.sort(oldestFirst)
  }

  /** Ids holding files but no record: running, or left by a crash. */
  async unfinished(): Promise<string[]> {
    const ids: string[] = []
    for (const id of await this.ids()) {
      if (!(await this.storage.head(this.recordKey(id)))) {
        ids.push(id)
      }
    }
    return ids
  }

  /** Every backup id present (finished or not), in id order. */
  async ids(): Promise<string[]> {
    const ids = new Set<string>()
    for await (const object of this.storage.list(`${BACKUPS_DIR}/`)) {
      const id = object.key.slice(BACKUPS_DIR.length + 1).split('/', 1)[0] ?? ''
      if (isBackupId(id)) {
        ids.add(id)
      }
    }
    return [...ids].sort()
  }

  /** Removes a backup: its record first (it stops being a finished backup), then its files. */
  async remove(id: string): Promise<void> {
    await this.storage.delete([this.recordKey(id)])
    const keys: string[] = []
    for await (const object of this.storage.list(`${BACKUPS_DIR}/${checkBackupId(id)}/`)) {
      keys.push(object.key)
    }
    await this.storage.delete(keys)
  }

  /** The objects of a backup, record included (for sizes and expiry reports). */
  async objects(id: string): Promise<ObjectInfo[]> {
    const objects: ObjectInfo[] = []
    for await (const object of this.storage.list(`${BACKUPS_DIR}/${checkBackupId(id)}/`)) {
      objects.push(object)
    }
    return objects
  }
}
