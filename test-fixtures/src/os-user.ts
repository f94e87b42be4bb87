import { execFileSync } from 'node:child_process'
import { userInfo } from 'node:os'

export interface OsUser {
  readonly name: string
  readonly uid: number
  readonly gid: number
  /** True when the fixture runs as root and servers therefore run as this other user. */
  readonly switched: boolean
}

/** The unprivileged OS user servers run as when the tests run as root (postgres refuses root). */
export const SERVER_OS_USER = 'tidemark-pg'

let cached: OsUser | undefined

/** The OS user that owns clusters and runs servers: the current user, or SERVER_OS_USER under root. */
export function serverOsUser(): OsUser {
  if (cached) {
    return cached
  }
  const me = userInfo()
  if (me.uid !== 0) {
    cached = { name: me.username, uid: me.uid, gid: me.gid, switched: false }
    return cached
  }
  if (!lookup(SERVER_OS_USER)) {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVER_OS_USER], {
      stdio: 'pipe',
    })
  }
  const found = lookup(SERVER_OS_USER)
  if (!found) {
    throw new Error(`could not create the OS user ${SERVER_OS_USER}`)
  }
  cached = { name: SERVER_OS_USER, ...found, switched: true }
  return cached
}

function lookup(name: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { stdio: 'pipe' }).toString().trim())
    const gid = Number(execFileSync('id', ['-g', name], { stdio: 'pipe' }).toString().trim())
    return { uid, gid }
  } catch {
    return undefined
  }
}
