// Run as root, pitr writes root-owned files, and PostgreSQL refuses root: the laid-down data
// directory goes to the owner of the data directory it replaces, else of its parent directory.
import { lstat } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Owner } from './restore-ownership.js'

/** The owner to give the recovered data directory, or undefined (not root, or only root owns the places). */
export async function pitrOwner(dataDir: string): Promise<Owner | undefined> {
  if (process.getuid?.() !== 0) {
    return undefined
  }
  for (const path of [dataDir, dirname(dataDir)]) {
    const info = await lstat(path).catch(() => undefined)
    if (info && info.uid !== 0) {
      return { uid: info.uid, gid: info.gid }
    }
  }
  return undefined
}
