import type { Command } from 'commander'
import { integerOption } from './integer-option.js'

/** The option values addConnectionOptions adds. */
export interface ConnectionOptionValues {
  readonly dbname?: string
  readonly host?: string
  readonly port?: number
  readonly username?: string
}

/** Where and as whom to connect, as the libpq-style options gave it (absent: the defaults apply). */
export interface ConnectionInput {
  /** A connection string or URI (`-d`), or a database name. */
  readonly dbname?: string
  readonly host?: string
  readonly port?: number
  readonly user?: string
}

/**
 * Adds the connection options of PostgreSQL's client tools: -d/--dbname, -h/--host, -p/--port,
 * -U/--username. The password comes from PGPASSWORD or ~/.pgpass, never from the command line.
 */
export function addConnectionOptions(command: Command): Command {
  return command
    .option('-d, --dbname <connstr>', 'connection string or database name')
    .option('-h, --host <host>', 'server host or socket directory')
    .option('-p, --port <port>', 'server port', integerOption(1, 65535))
    .option('-U, --username <name>', 'user name to connect as')
}

/** The connection input of those option values. */
export function connectionInput(values: ConnectionOptionValues): ConnectionInput {
  return {
    ...(values.dbname === undefined ? {} : { dbname: values.dbname }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.port === undefined ? {} : { port: values.port }),
    ...(values.username === undefined ? {} : { user: values.username }),
  }
}
