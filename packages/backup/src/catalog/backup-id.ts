// Backup ids: `YYYYMMDDTHHMMSSZ-xxxxxx` (UTC start time, 6 random hex digits). They sort by time and are
// safe as one path component; anything else is refused before it reaches the file system.
import { randomBytes } from 'node:crypto'
import { BackupUsageError } from '../errors.js'

const BACKUP_ID = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/

/** A new id for a backup starting at `now`. */
export function newBackupId(now: Date = new Date(), random: string = randomBytes(3).toString('hex')): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')
  return `${stamp}-${random}`
}

export function isBackupId(text: string): boolean {
  return BACKUP_ID.test(text)
}

/** Returns id, or throws BackupUsageError (a path, `..`, anything not made by newBackupId). */
export function checkBackupId(id: string): string {
  if (!isBackupId(id)) {
    throw new BackupUsageError(`"${id.slice(0, 64)}" is not a backup id (YYYYMMDDTHHMMSSZ-xxxxxx)`)
  }
  return id
}
