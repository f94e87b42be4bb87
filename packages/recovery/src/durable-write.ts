import { randomBytes } from 'node:crypto'
import { closeSync, fchownSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { ConfigWriteError } from './errors.js'

/**
 * Writes a file so that after a crash it holds either its old or its new content: a temporary file
 * in the same directory, fsync, rename over the target, fsync the directory. The new file keeps the
 * mode and (when run as root) the owner of the file it replaces, or of the directory for a new file,
 * so the server's OS user can still read and rewrite it. On failure the target is as it was.
 */
export function writeFileDurably(path: string, content: string, mode = 0o600): void {
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.tidemark-${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  const previous = statOrUndefined(path)
  const owner = previous ?? statOrUndefined(dir)
  let fd: number | undefined
  try {
    fd = openSync(temp, 'wx', previous ? previous.mode & 0o7777 : mode)
    const data = Buffer.from(content, 'utf8')
    let offset = 0
    while (offset < data.length) {
      offset += writeSync(fd, data, offset, data.length - offset)
    }
    if (owner && process.getuid?.() === 0) {
      fchownSync(fd, owner.uid, owner.gid)
    }
    fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    renameSync(temp, path)
  } catch (error) {
    if (fd !== undefined) {
      closeSync(fd)
    }
    try {
      unlinkSync(temp)
    } catch {
      // It was never created, or the rename took it.
    }
    throw new ConfigWriteError(`could not write "${path}": ${(error as Error).message}`, { cause: error })
  }
  syncDirectory(dir)
}

/** fsync a directory so a rename or a new entry in it survives a crash. */
export function syncDirectory(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch (error) {
    throw new ConfigWriteError(`could not sync directory "${dir}": ${(error as Error).message}`, { cause: error })
  } finally {
    if (fd !== undefined) {
      closeSync(fd)
    }
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path)
  } catch {
    return undefined
  }
}
