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

function treeShape(path: string): string {
  let stat
  try {
    stat = lstatSync(path)
  } catch {
    return ''
  }
  if (!stat.isDirectory()) {
    return `${path}:${stat.size};`
  }
  let entries: string[] = []
  try {
    entries = readdirSync(path)
  } catch {
    return ''
  }
  return entries.map((entry) => treeShape(join(path, entry))).join('')
}

/**
 * Waits until nothing changes under path for quietMs (a tool's detached helper, such as a WAL
 * prefetcher, may still be writing after the measured call returned), at most maxMs.
 */
export async function settleTree(path: string, quietMs = 1000, maxMs = 30_000): Promise<void> {
  const deadline = Date.now() + maxMs
  let last = treeShape(path)
  let quietSince = Date.now()
  while (Date.now() < deadline && Date.now() - quietSince < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const now = treeShape(path)
    if (now !== last) {
      last = now
      quietSince = Date.now()
    }
  }
}

/** Removes a tree, retrying while something still writes into it. */
export function removeTree(path: string): void {
  rmSync(path, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 })
}
