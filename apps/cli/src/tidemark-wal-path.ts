import { existsSync, realpathSync } from 'node:fs'
import { dirname, join, parse } from 'node:path'
import { fileURLToPath } from 'node:url'
import { commandLine } from '@tidemark/recovery'
import { TidemarkWalNotFoundError } from './errors.js'

/** Where tidemark-wal may sit, relative to a directory above the tidemark install. */
const CANDIDATES = [
  'apps/archive-command/bin/tidemark-wal.js',
  'node_modules/@tidemark/archive-command/bin/tidemark-wal.js',
  'node_modules/.bin/tidemark-wal',
]

/**
 * The absolute path of the tidemark-wal installed with this tidemark: looked for in each directory
 * above this module (the monorepo's apps/archive-command, or node_modules of an install).
 */
export function findTidemarkWal(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from
  const root = parse(dir).root
  for (;;) {
    for (const candidate of CANDIDATES) {
      const path = join(dir, candidate)
      if (existsSync(path)) {
        return realpathSync(path)
      }
    }
    if (dir === root) {
      break
    }
    dir = dirname(dir)
  }
  throw new TidemarkWalNotFoundError(CANDIDATES)
}

/**
 * restore_command that fetches WAL from a repository: `<node> <tidemark-wal.js> get --repo <repo> %f %p`,
 * every path absolute and quoted for `sh -c`. A .js entry point runs with this node, so the server's
 * PATH need not contain node.
 */
export function repoRestoreCommand(walBin: string, repo: string, nodePath: string = process.execPath): string {
  const program = walBin.endsWith('.js') ? [nodePath, walBin] : [walBin]
  return commandLine([...program, 'get', '--repo', repo], ['%f', '%p'])
}
