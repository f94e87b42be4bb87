// Debian's Ceph (mon, osd, radosgw) for the S3 test server: found, or installed with apt-get when
// running as root. When it cannot be had, S3 tests skip with s3ServerUnavailableMessage() — never silently.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runDir } from '../run-dir.js'

export const CEPH_PACKAGES: readonly string[] = ['ceph-mon', 'ceph-osd', 'radosgw']
const BINARIES = ['/usr/bin/ceph-mon', '/usr/bin/ceph-osd', '/usr/bin/radosgw', '/usr/bin/radosgw-admin', '/usr/bin/monmaptool', '/usr/bin/ceph']
/** Debian's python3, which has the rados module (a pyenv python3 earlier in PATH would not). */
export const SYSTEM_PYTHON = '/usr/bin/python3'

let installTried = false
let installFailure: string | undefined

function cephInstalled(): boolean {
  return BINARIES.every((path) => existsSync(path)) && existsSync(SYSTEM_PYTHON)
}

/** True when Ceph's daemons are here, installing them first (apt-get, as root) when missing. */
export function s3ServerAvailable(): boolean {
  if (cephInstalled()) {
    return true
  }
  // One try per test run: a failure is recorded in the run directory, so other test files skip at once.
  const marker = join(runDir(), 'ceph-install-failed')
  if (existsSync(marker)) {
    installTried = true
    installFailure = readFileSync(marker, 'utf8')
  }
  if (!installTried && process.getuid?.() === 0) {
    installTried = true
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    try {
      execFileSync('apt-get', ['update'], { stdio: 'pipe', env, timeout: 300_000 })
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...CEPH_PACKAGES], { stdio: 'pipe', env, timeout: 900_000 })
    } catch (error) {
      installFailure = (error as Error).message.split('\n')[0] ?? 'apt-get failed'
      writeFileSync(marker, installFailure)
      console.warn(`test-fixtures: could not install ${CEPH_PACKAGES.join(' ')}: ${installFailure}`)
    }
  }
  return cephInstalled()
}

/** s3ServerAvailable for a test file's describe.skipIf: when not, says why (console.warn). */
export function s3ServerAvailableOrWarn(): boolean {
  const available = s3ServerAvailable()
  if (!available) {
    console.warn(s3ServerUnavailableMessage())
  }
  return available
}

/** Why the S3 tests are skipped, for console.warn next to describe.skipIf. */
export function s3ServerUnavailableMessage(): string {
  const why =
    process.getuid?.() === 0
      ? `apt-get install ${CEPH_PACKAGES.join(' ')} failed${installFailure ? ` (${installFailure})` : ''}`
      : `not running as root, so it cannot be installed (apt-get install ${CEPH_PACKAGES.join(' ')})`
  return `skipped: the S3 tests need Debian's Ceph RADOS Gateway, which is not installed here; ${why}`
}
