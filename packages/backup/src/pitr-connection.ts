// How to reach a server started on a data directory: its socket directory (or 127.0.0.1) and port
// from its configuration files, unless the caller says otherwise.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { AUTO_CONF, POSTGRESQL_CONF, effectiveSettings, parseConf } from '@tidemark/recovery'
import type { ConnectionParameters } from '@tidemark/wire'

async function confEntries(dataDir: string, name: string): Promise<ReturnType<typeof parseConf>> {
  const text = await readFile(join(dataDir, name), 'utf8').catch(() => '')
  return parseConf(text, name)
}

/** Connection parameters for the server of dataDir: `given` wins, then its configuration, then defaults. */
export async function dataDirConnection(dataDir: string, given: ConnectionParameters = {}, port?: number): Promise<ConnectionParameters> {
  const settings = effectiveSettings([...(await confEntries(dataDir, POSTGRESQL_CONF)), ...(await confEntries(dataDir, AUTO_CONF))])
  const socket = (settings.get('unix_socket_directories') ?? '').split(',')[0]?.trim() ?? ''
  const configuredPort = Number(settings.get('port'))
  return {
    host: socket.startsWith('/') ? socket : '127.0.0.1',
    port: port ?? (Number.isInteger(configuredPort) && configuredPort > 0 ? configuredPort : 5432),
    user: process.env.PGUSER ?? 'postgres',
    database: 'postgres',
    connectTimeoutSeconds: 10,
    ...given,
  }
}
