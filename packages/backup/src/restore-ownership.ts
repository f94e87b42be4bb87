// Run as root, a restore writes root-owned files; PostgreSQL runs as the data directory's OS user
// and refuses root, so what was laid down is given to the owner of the data directory it replaces.
import { lstat, lchown, readdir } from 'node:fs/promises'
import { join } from 'node:path'

export interface Owner {
  readonly uid: number
  readonly gid: number
}

/** lchown of a whole tree (links are re-owned, never followed). */
export async function chownTree(path: string, owner: Owner): Promise<void> {
  await lchown(path, owner.uid, owner.gid)
  if ((await lstat(path)).isDirectory()) {
    for (const name of await readdir(path)) {
      await chownTree(join(path, name), owner)
    }
  }
}

/** The owner to give restored files: the old data directory's, when root runs and it was not root's. */
export async function restoreOwner(dataDir: string): Promise<Owner | undefined> {
  if (process.getuid?.() !== 0) {
    return undefined
  }
  const info = await lstat(dataDir).catch(() => undefined)
  return info && info.uid !== 0 ? { uid: info.uid, gid: info.gid } : undefined
}
