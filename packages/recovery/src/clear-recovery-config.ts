import { join } from 'node:path'
import { readExistingFiles } from './data-dir.js'
import { writeFileDurably } from './durable-write.js'
import { findManagedBlock, replaceManagedBlock } from './managed-block.js'
import { AUTO_CONF } from './recovery-files.js'

/**
 * Removes the tidemark recovery block from postgresql.auto.conf (after a recovery has ended, so its
 * restore_command and target do not linger for the next one). The user's settings stay; the file is
 * not touched when it has no block. Returns whether it changed the file. openGauss needs nothing:
 * the server renames recovery.conf to recovery.done itself.
 */
export function clearRecoveryConfig(dataDir: string): boolean {
  const autoConf = readExistingFiles(dataDir).autoConf
  if (autoConf === undefined || !findManagedBlock(autoConf, 'recovery', AUTO_CONF)) {
    return false
  }
  writeFileDurably(join(dataDir, AUTO_CONF), replaceManagedBlock(autoConf, 'recovery', undefined, AUTO_CONF))
  return true
}
