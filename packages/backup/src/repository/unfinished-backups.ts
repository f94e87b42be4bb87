// The unfinished backups of a repository (files, no record) with their size and when they were last
// written: expire leaves a young one alone (it may be running), the listing shows them apart.
import type { BackupRepository } from './backup-repository.js'
import type { UnfinishedBackup } from './expire-plan.js'

/** The UTC start time a backup id carries (YYYYMMDDTHHMMSSZ-xxxxxx). */
export function backupIdTime(id: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-/.exec(id)
  if (!match) {
    return new Date(Number.NaN)
  }
  const [, y, mo, d, h, mi, s] = match.map(Number)
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0))
}

/** Every unfinished backup, in id order. */
export async function readUnfinishedBackups(backups: BackupRepository): Promise<UnfinishedBackup[]> {
  const unfinished: UnfinishedBackup[] = []
  for (const id of await backups.unfinished()) {
    let bytes = 0
    let last = backupIdTime(id).getTime()
    for (const object of await backups.objects(id)) {
      bytes += object.size
      last = Number.isNaN(last) ? object.lastModified.getTime() : Math.max(last, object.lastModified.getTime())
    }
    unfinished.push({ id, bytes, lastActivity: new Date(last) })
  }
  return unfinished
}
