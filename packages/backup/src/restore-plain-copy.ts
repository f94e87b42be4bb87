// Laying a plain backup (a data directory) down: the directory is copied with its modes, times and
// links; each tablespace it links to is copied to its location and linked there.
import { cp, lstat, readdir, readlink } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { syncTree } from './durable-sync.js'
import { TablespaceLocationError } from './errors.js'
import { relinkTablespace } from './move-aside.js'
import { checkTargetDirectory } from './target-directory.js'

export interface PlainCopyOptions {
  /** Where tablespace `oid` (at `backupLocation` in the backup) goes; undefined when unknown. */
  readonly locate: (oid: string, backupLocation: string) => string | undefined
  readonly sync: boolean
  readonly signal?: AbortSignal | undefined
  readonly onMessage?: ((text: string) => void) | undefined
}

async function backupTablespaces(root: string): Promise<Array<{ oid: string; location: string }>> {
  const dir = join(root, 'pg_tblspc')
  const names = await readdir(dir).catch(() => [])
  const found: Array<{ oid: string; location: string }> = []
  for (const oid of names) {
    const link = join(dir, oid)
    if ((await lstat(link)).isSymbolicLink()) {
      found.push({ oid, location: resolve(dir, await readlink(link)) })
    }
  }
  return found
}

/** Copies a plain backup into dataDir (which must not exist); returns where the tablespaces went. */
export async function copyPlainBackup(root: string, dataDir: string, options: PlainCopyOptions): Promise<Array<{ oid: string; location: string }>> {
  const tablespaces = (await backupTablespaces(root)).map(({ oid, location }) => {
    const target = options.locate(oid, location)
    if (target === undefined) {
      throw new TablespaceLocationError(`tablespace ${oid} of the backup (at ${location}) has no location here; map it with -T ${location}=NEWDIR`)
    }
    return { oid, from: location, location: target }
  })
  for (const { location, oid } of tablespaces) {
    await checkTargetDirectory(location, `tablespace directory of ${oid}`)
  }
  options.onMessage?.(`copying ${root} to ${dataDir}`)
  await cp(root, dataDir, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true, errorOnExist: true, force: false })
  for (const { oid, from, location } of tablespaces) {
    options.signal?.throwIfAborted()
    options.onMessage?.(`copying tablespace ${oid} from ${from} to ${location}`)
    await cp(from, location, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true, errorOnExist: true, force: false })
    await relinkTablespace(dataDir, oid, location)
  }
  if (options.sync) {
    await syncTree(dataDir)
    for (const { location } of tablespaces) {
      await syncTree(location)
    }
  }
  return tablespaces.map(({ oid, location }) => ({ oid, location }))
}
