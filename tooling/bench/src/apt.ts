import { execFileSync } from 'node:child_process'

/** Installs Debian packages when running as root; returns why it could not, or undefined on success. */
export function aptInstall(packages: readonly string[]): string | undefined {
  if (process.getuid?.() !== 0) {
    return `not root: install ${packages.join(' ')} with apt-get`
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'pipe', env, timeout: 600_000 })
    return undefined
  } catch {
    // The package lists may be stale or absent: refresh once and retry.
  }
  try {
    execFileSync('apt-get', ['update'], { stdio: 'pipe', env, timeout: 300_000 })
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'pipe', env, timeout: 600_000 })
    return undefined
  } catch (error) {
    return `apt-get install ${packages.join(' ')} failed: ${(error as Error).message.split('\n')[0] ?? ''}`
  }
}
