// Where the backup's replication connections go. PostgreSQL takes them on its own port; openGauss
// (like gs_basebackup does) on the HA listener at port + 1, with application_name gs_basebackup so
// the server sends postgresql.conf and the certificate files too (reference §1).
import { connect, resolveParameters, ServerError, type ConnectOptions, type Connection } from '@tidemark/wire'

export const OPENGAUSS_APPLICATION_NAME = 'gs_basebackup'

/** The replication options for openGauss: the resolved port plus one, its application name, its flavor. */
export function openGaussReplicationOptions(options: ConnectOptions): ConnectOptions {
  const resolved = resolveParameters(options)
  const target = resolved.targets[0]
  return {
    ...options,
    ...(target ? { host: target.host, port: target.port + 1 } : {}),
    applicationName: OPENGAUSS_APPLICATION_NAME,
    flavor: 'opengauss',
  }
}

function refusedOffHaPort(error: unknown): boolean {
  return error instanceof ServerError && /HA port/i.test(error.message)
}

/**
 * Opens the BASE_BACKUP connection and returns it with the options every further replication
 * connection (the WAL streamer) must use.
 */
export async function connectForBackup(
  options: ConnectOptions
): Promise<{ connection: Connection; replicationOptions: ConnectOptions }> {
  const asked: ConnectOptions = { ...options, replication: true }
  let first: Connection
  try {
    first = await connect(asked)
  } catch (error) {
    if (!refusedOffHaPort(error)) {
      throw error
    }
    const replicationOptions = openGaussReplicationOptions(asked)
    return { connection: await connect(replicationOptions), replicationOptions }
  }
  if (first.server.flavor !== 'opengauss') {
    return { connection: first, replicationOptions: asked }
  }
  await first.close()
  const replicationOptions = openGaussReplicationOptions(asked)
  return { connection: await connect(replicationOptions), replicationOptions }
}
