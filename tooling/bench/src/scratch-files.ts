import { execFileSync } from 'node:child_process'
import { lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { chownTree, type OsUser } from '@tidemark/test-fixtures'

/** An empty directory owned by the server's OS user (whatever was there is removed first). */
export function freshDir(path: string, user: OsUser): string {
  rmSync(path, { recursive: true, force: true })
  mkdirSync(path, { recursive: true, mode: 0o755 })
  chownTree(path, user)
  return path
}

/** Bytes of the regular files under path (0 when it does not exist). */
export function treeBytes(path: string): number {
  let stat
  try {
    stat = lstatSync(path)
  } catch {
    return 0
  }
  if (!stat.isDirectory()) {
    return stat.isFile() ? stat.size : 0
  }
  return readdirSync(path).reduce((sum, entry) => sum + treeBytes(join(path, entry)), 0)
}

/** Flushes dirty pages to disk between measurements, so no case pays for the previous one's writes. */
export function syncDisks(): void {
  execFileSync('sync', [], { stdio: 'ignore' })
}
