// The bytes a backup occupies: the sum of its regular files' sizes (links are not followed).
import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'

export async function directorySize(root: string): Promise<number> {
  let total = 0
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        await walk(path)
      } else if (entry.isFile()) {
        total += (await lstat(path)).size
      }
    }
  }
  await walk(root)
  return total
}
