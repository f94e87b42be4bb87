// Starts the background prefetcher as a detached process, so restore_command returns at once.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** bin/tidemark-wal.js, found from src/ and dist/ alike. */
const BIN = fileURLToPath(new URL('../bin/tidemark-wal.js', import.meta.url))

/** Starts the prefetcher; its pid, or undefined when it could not be started. */
export function spawnPrefetch(repo: string, spool: string, names: readonly string[], s3Args: readonly string[] = [], depth: number = names.length): number | undefined {
  const child = spawn(process.execPath, [BIN, 'prefetch-worker', '--repo', repo, '--depth', String(depth), ...s3Args, spool, ...names], {
    detached: true,
    stdio: 'ignore',
  })
  child.on('error', () => undefined)
  child.unref()
  return child.pid
}
