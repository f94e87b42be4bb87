import { open, readdir } from 'node:fs/promises'
import { join } from 'node:path'

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * fsyncs every file and directory under root (links are not followed), children before parents, so
 * a completed backup survives a power loss. A few files at a time keep the disk busy without
 * opening thousands of descriptors.
 */
export async function syncTree(root: string, concurrency = 8): Promise<void> {
  const files: string[] = []
  const dirs: string[] = []
  const walk = async (dir: string): Promise<void> => {
    dirs.push(dir)
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        await walk(path)
      } else if (entry.isFile()) {
        files.push(path)
      }
    }
  }
  await walk(root)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const path = files[next]
      next += 1
      if (path !== undefined) {
        await fsyncPath(path)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  for (const dir of dirs.reverse()) {
    await fsyncPath(dir)
  }
}
