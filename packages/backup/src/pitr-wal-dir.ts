// PITR step 3: empty pg_wal (pg_xlog on openGauss) so the server takes every segment from the
// repository through restore_command; archive_status stays, emptied.
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { walDirectoryName, type WalFlavor } from '@tidemark/wal'

/** Empties the WAL directory of dataDir; returns its name and how many entries were removed. */
export async function emptyWalDirectory(dataDir: string, flavor: WalFlavor): Promise<{ name: string; removed: number }> {
  const name = walDirectoryName(flavor)
  const dir = join(dataDir, name)
  let removed = 0
  for (const entry of await readdir(dir).catch(() => [])) {
    if (entry === 'archive_status') {
      for (const status of await readdir(join(dir, entry))) {
        await rm(join(dir, entry, status), { force: true })
        removed += 1
      }
      continue
    }
    await rm(join(dir, entry), { recursive: true, force: true })
    removed += 1
  }
  return { name, removed }
}
