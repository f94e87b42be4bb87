// writev until every byte is written: the kernel may take fewer bytes than asked, and a short
// write must not lose the rest. One helper for the async (thread pool) and the sync paths.
import { writevSync } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'

/** Writes every buffer through handle (at position, when given); resolves with the bytes written. */
export async function writevFully(handle: FileHandle, buffers: readonly Uint8Array[], position?: number): Promise<number> {
  let total = 0
  let pending = [...buffers]
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending, position === undefined ? undefined : position + total)
    total += bytesWritten
    pending = dropWritten(pending, bytesWritten)
  }
  return total
}

/** writevFully for a file descriptor, in the calling thread. */
export function writevFullySync(fd: number, buffers: readonly Uint8Array[]): void {
  let pending = [...buffers]
  while (pending.length > 0) {
    pending = dropWritten(pending, writevSync(fd, pending))
  }
}

/** The buffers past the first `written` bytes. */
function dropWritten(buffers: Uint8Array[], written: number): Uint8Array[] {
  let skip = written
  const rest: Uint8Array[] = []
  for (const buffer of buffers) {
    if (skip >= buffer.length) {
      skip -= buffer.length
      continue
    }
    rest.push(skip > 0 ? buffer.subarray(skip) : buffer)
    skip = 0
  }
  return rest
}
