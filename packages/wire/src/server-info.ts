// Which server this is: PostgreSQL with its major, or openGauss/MogDB.
import { UnsupportedServerError } from './errors.js'
import type { ServerFlavor } from './auth/authenticate.js'

export const MIN_POSTGRESQL_MAJOR = 13
export const MAX_KNOWN_POSTGRESQL_MAJOR = 18

export interface ServerInfo {
  readonly flavor: ServerFlavor
  /**
   * PostgreSQL: the major (13…18). openGauss: the major of its reported server_version, which is
   * always 9 ('9.2.4'); the dialect is chosen by `flavor`, not by this number.
   */
  readonly major: number
  /** server_version as reported. */
  readonly version: string
  /** The protocol minor in effect (0 for PostgreSQL ≤ 17, up to 2 on 18; 51 for openGauss). */
  readonly protocolMinor: number
}

/** Builds ServerInfo; refuses PostgreSQL older than 13 and versions it cannot read. */
export function serverInfo(flavor: ServerFlavor, version: string | undefined, protocolMinor: number): ServerInfo {
  const match = /^(\d+)/.exec(version ?? '')
  if (!match?.[1]) {
    throw new UnsupportedServerError(`the server did not report a readable server_version (${JSON.stringify(version ?? null)})`)
  }
  const major = Number(match[1])
  if (flavor === 'postgresql' && major < MIN_POSTGRESQL_MAJOR) {
    throw new UnsupportedServerError(
      `PostgreSQL ${version ?? ''} is not supported: Tidemark needs PostgreSQL ${MIN_POSTGRESQL_MAJOR} or newer`
    )
  }
  return { flavor, major, version: version ?? '', protocolMinor }
}
