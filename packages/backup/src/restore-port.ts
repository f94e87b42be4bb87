// The reference's port-conflict note: a restored server can be given its own port. PostgreSQL: a
// port block at the end of postgresql.auto.conf; openGauss (no auto.conf): of postgresql.conf.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { AUTO_CONF, AUTO_CONF_HEADER, POSTGRESQL_CONF, checkPort, portLines, replaceManagedBlock, writeFileDurably } from '@tidemark/recovery'
import type { WalFlavor } from '@tidemark/wal'

/** Sets the port of a stopped data directory; returns the file written (relative to it). */
export async function setRestoredPort(dataDir: string, flavor: WalFlavor, port: number): Promise<string> {
  checkPort(port)
  const name = flavor === 'opengauss' ? POSTGRESQL_CONF : AUTO_CONF
  const path = join(dataDir, name)
  const existing = await readFile(path, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return flavor === 'opengauss' ? '' : AUTO_CONF_HEADER
    }
    throw error
  })
  writeFileDurably(path, replaceManagedBlock(existing, 'port', portLines(port), name))
  return name
}
