import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { effectiveSettings, parseConf } from './conf-parser.js'
import { DataDirectoryError, ServerRunningError, ServerVersionUnsupportedError } from './errors.js'
import { AUTO_CONF, POSTGRESQL_CONF, RECOVERY_CONF, STANDBY_SIGNAL, type ExistingFiles } from './recovery-files.js'
import type { ServerKind } from './server-kind.js'

/**
 * Files only an openGauss/MogDB data directory has (double-write files, the HA state file, in-PGDATA
 * tablespaces); PostgreSQL 9.2, which shares its PG_VERSION, has none of them.
 */
export const OPENGAUSS_MARKERS: readonly string[] = [
  'global/pg_dw',
  'global/pg_dw.build',
  'global/pg_dw_single',
  'gaussdb.state',
  'pg_location',
]

/**
 * The server a data directory belongs to, from its PG_VERSION: `12`…`18` is PostgreSQL; `9.2` with
 * an openGauss marker file (OPENGAUSS_MARKERS) is openGauss. Anything else is refused.
 */
export function detectServer(dataDir: string): ServerKind {
  const versionFile = join(dataDir, 'PG_VERSION')
  let text: string
  try {
    text = readFileSync(versionFile, 'utf8').trim()
  } catch (error) {
    throw new DataDirectoryError(`"${dataDir}" is not a data directory: cannot read PG_VERSION`, { cause: error })
  }
  if (/^\d+$/.test(text)) {
    return { flavor: 'postgresql', major: Number(text) }
  }
  if (text === '9.2') {
    const marker = OPENGAUSS_MARKERS.find((name) => existsSync(join(dataDir, name)))
    if (marker) {
      return { flavor: 'opengauss' }
    }
    throw new ServerVersionUnsupportedError(
      `"${dataDir}" has PG_VERSION 9.2 but no openGauss marker (${OPENGAUSS_MARKERS.join(', ')}); ` +
        `PostgreSQL 9.2 is not supported, pass the flavor explicitly if this is openGauss`
    )
  }
  throw new ServerVersionUnsupportedError(`"${dataDir}" has PG_VERSION ${JSON.stringify(text)}, which is not supported`)
}

/** The pid in postmaster.pid when that process is alive, else undefined (no file, stale file). */
export function livePostmasterPid(dataDir: string): number | undefined {
  let text: string
  try {
    text = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8')
  } catch {
    return undefined
  }
  const pid = Number(text.split('\n')[0]?.trim())
  if (!Number.isInteger(pid) || pid <= 0) {
    return undefined
  }
  return isAlive(pid) ? pid : undefined
}

/** Throws ServerRunningError when the data directory's server runs. */
export function assertServerStopped(dataDir: string): void {
  const pid = livePostmasterPid(dataDir)
  if (pid !== undefined) {
    throw new ServerRunningError(dataDir, pid)
  }
}

/** The zone a server reads times without a zone in, and where that came from. */
export interface ServerTimeZone {
  readonly zone: string
  /** `postgresql.auto.conf`, `postgresql.conf`, or `server default` (GMT when neither sets it). */
  readonly source: string
}

/**
 * The server's `timezone` setting as its configuration files set it (the last one wins;
 * `include` directives are not followed). The server's default is GMT.
 */
export function readServerTimeZone(dataDir: string): ServerTimeZone {
  let found: ServerTimeZone = { zone: 'GMT', source: 'server default' }
  for (const name of [POSTGRESQL_CONF, AUTO_CONF]) {
    const text = readOptional(join(dataDir, name))
    if (text === undefined) {
      continue
    }
    const zone = effectiveSettings(parseConf(text, name)).get('timezone')
    if (zone !== undefined && zone !== '') {
      found = { zone, source: name }
    }
  }
  return found
}

/** Reads the configuration files recovery planning looks at. */
export function readExistingFiles(dataDir: string): ExistingFiles {
  return {
    postgresqlConf: readOptional(join(dataDir, POSTGRESQL_CONF)),
    autoConf: readOptional(join(dataDir, AUTO_CONF)),
    recoveryConf: readOptional(join(dataDir, RECOVERY_CONF)),
    standbySignal: existsSync(join(dataDir, STANDBY_SIGNAL)),
  }
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined
    }
    throw new DataDirectoryError(`cannot read "${path}": ${(error as Error).message}`, { cause: error })
  }
}

/** Alive: signal 0 succeeds or is refused (another user's process); a zombie counts as gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') {
      return false
    }
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z'
  } catch {
    return true
  }
}
