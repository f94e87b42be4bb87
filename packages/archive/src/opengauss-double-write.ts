// The openGauss double-write step gs_basebackup and gs_tar run after laying down a data
// directory: remove global/pg_dw and global/pg_dw.build if present, then create
// global/pg_dw.build holding one 8192-byte zero page, mode 0600, fsynced.
import { constants } from 'node:fs'
import { open, rm } from 'node:fs/promises'
import { join } from 'node:path'

export const DOUBLE_WRITE_PAGE_SIZE = 8192

export async function prepareOpenGaussDoubleWrite(dataDir: string): Promise<void> {
  const global = join(dataDir, 'global')
  await rm(join(global, 'pg_dw'), { force: true })
  await rm(join(global, 'pg_dw.build'), { force: true })
  const handle = await open(join(global, 'pg_dw.build'), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
  try {
    await handle.write(Buffer.alloc(DOUBLE_WRITE_PAGE_SIZE))
    await handle.chmod(0o600)
    await handle.sync()
  } finally {
    await handle.close()
  }
  const dir = await open(global, constants.O_RDONLY | constants.O_DIRECTORY)
  try {
    await dir.sync()
  } finally {
    await dir.close()
  }
}
