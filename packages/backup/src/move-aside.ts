import { lstat, mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { BackupUsageError } from './errors.js'

export interface MovedPath {
  readonly from: string
  readonly to: string
}

/** What was moved aside, so a failed restore can put it back exactly. */
export interface MoveAsidePlan {
  readonly asideDir: string
  readonly moved: readonly MovedPath[]
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path)
    return true
  } catch {
    return false
  }
}

/** The tablespace directories a data directory links to through pg_tblspc/<oid>. */
export async function linkedTablespaces(dataDir: string): Promise<Array<{ oid: string; location: string }>> {
  const dir = join(dataDir, 'pg_tblspc')
  if (!(await exists(dir))) {
    return []
  }
  const result: Array<{ oid: string; location: string }> = []
  for (const oid of await readdir(dir)) {
    const link = join(dir, oid)
    if ((await lstat(link)).isSymbolicLink()) {
      result.push({ oid, location: resolve(dir, await readlink(link)) })
    }
  }
  return result
}

/** `<parent>/<name>.aside-YYYYMMDDTHHMMSSZ`: the default place for moved-aside data. */
export function defaultAsideDir(dataDir: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  return join(dirname(resolve(dataDir)), `${basename(resolve(dataDir))}.aside-${stamp}`)
}

/**
 * Moves a data directory and every tablespace directory it links to into asideDir (data/ and
 * tablespaces/<oid>/), by rename: nothing is copied or deleted. asideDir must not exist yet and must
 * be on the same filesystem (a rename across filesystems is refused before anything moves).
 */
export async function moveAside(dataDir: string, asideDir: string): Promise<MoveAsidePlan> {
  const absoluteData = resolve(dataDir)
  const absoluteAside = resolve(asideDir)
  if (await exists(absoluteAside)) {
    throw new BackupUsageError(`move-aside directory "${absoluteAside}" already exists; name a new one`)
  }
  const moves: MovedPath[] = []
  if (await exists(absoluteData)) {
    for (const { oid, location } of await linkedTablespaces(absoluteData)) {
      if (await exists(location)) {
        moves.push({ from: location, to: join(absoluteAside, 'tablespaces', oid) })
      }
    }
    moves.push({ from: absoluteData, to: join(absoluteAside, 'data') })
  }
  await mkdir(join(absoluteAside, 'tablespaces'), { recursive: true, mode: 0o700 })
  const done: MovedPath[] = []
  try {
    for (const move of moves) {
      try {
        await rename(move.from, move.to)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EXDEV') {
          throw new BackupUsageError(
            `cannot move "${move.from}" aside to "${move.to}": another filesystem; pass --move-aside DIR on the same filesystem`,
            { cause: error }
          )
        }
        throw error
      }
      done.push(move)
    }
  } catch (error) {
    await putBack({ asideDir: absoluteAside, moved: done })
    await rm(absoluteAside, { recursive: true, force: true })
    throw error
  }
  return { asideDir: absoluteAside, moved: done }
}

/**
 * Undoes moveAside: whatever a failed restore laid at the original places is removed first (it
 * was created by the restore), then each moved directory is renamed back.
 */
export async function putBack(plan: MoveAsidePlan): Promise<void> {
  for (const move of [...plan.moved].reverse()) {
    await rm(move.from, { recursive: true, force: true })
    await rename(move.to, move.from)
  }
}

/** Points pg_tblspc/<oid> at location, replacing the link (never a directory) that was there. */
export async function relinkTablespace(dataDir: string, oid: string, location: string): Promise<void> {
  const link = join(dataDir, 'pg_tblspc', oid)
  if (await exists(link)) {
    if (!(await lstat(link)).isSymbolicLink()) {
      throw new BackupUsageError(`pg_tblspc/${oid} in "${dataDir}" is not a symbolic link`)
    }
    await rm(link)
  }
  await mkdir(join(dataDir, 'pg_tblspc'), { recursive: true, mode: 0o700 })
  await symlink(location, link)
}
