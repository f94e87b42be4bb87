import { ServerVersionUnsupportedError } from './errors.js'

/** The server a configuration is written for: PostgreSQL of one major, or openGauss/MogDB. */
export type ServerKind =
  | { readonly flavor: 'postgresql'; readonly major: number }
  | { readonly flavor: 'opengauss' }

export type ServerFlavor = ServerKind['flavor']

/** The oldest PostgreSQL major whose recovery settings are GUCs plus recovery.signal / standby.signal. */
export const MIN_POSTGRES_MAJOR = 12
/** The newest PostgreSQL major whose recovery keys this package knows. */
export const MAX_POSTGRES_MAJOR = 18

/** 'PostgreSQL 16' or 'openGauss'. */
export function describeServer(server: ServerKind): string {
  return server.flavor === 'postgresql' ? `PostgreSQL ${server.major}` : 'openGauss'
}

/** Checks that recovery configuration can be written for this server; returns it unchanged. */
export function assertSupportedServer(server: ServerKind): ServerKind {
  if (server.flavor === 'postgresql') {
    if (!Number.isInteger(server.major) || server.major < MIN_POSTGRES_MAJOR || server.major > MAX_POSTGRES_MAJOR) {
      throw new ServerVersionUnsupportedError(
        `PostgreSQL ${server.major} is not supported: recovery configuration is written for PostgreSQL ` +
          `${MIN_POSTGRES_MAJOR}-${MAX_POSTGRES_MAJOR} and openGauss`
      )
    }
  }
  return server
}
