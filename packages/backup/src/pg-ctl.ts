import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { BackupFailedError, BackupUsageError } from './errors.js'

/** Where distributions install PostgreSQL's server binaries, for a given major. */
function usualBinDirs(major: number): string[] {
  return [`/usr/lib/postgresql/${major}/bin`, `/usr/pgsql-${major}/bin`, `/usr/local/pgsql/bin`, `/opt/postgresql/${major}/bin`]
}

/** The major PostgreSQL release a data directory belongs to, from its PG_VERSION. */
export async function dataDirMajor(dataDir: string): Promise<number> {
  const text = (await readFile(join(dataDir, 'PG_VERSION'), 'utf8')).trim()
  const major = Number(text.split('.')[0])
  if (!Number.isInteger(major)) {
    throw new BackupUsageError(`"${dataDir}" has an unreadable PG_VERSION ("${text}")`)
  }
  return major
}

/**
 * pg_ctl for a major: from --pg-bin, else the PATH, else the usual install locations; the first whose
 * `pg_ctl --version` names that major.
 */
export async function findPgCtl(major: number, pgBin?: string): Promise<string> {
  const dirs = pgBin ? [pgBin] : [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...usualBinDirs(major)]
  for (const dir of dirs) {
    const candidate = join(dir, 'pg_ctl')
    if (!existsSync(candidate)) {
      continue
    }
    const { code, stdout } = await runCommand(candidate, ['--version'], {})
    const found = /(\d+)(?:\.\d+)?/.exec(stdout)?.[1]
    if (code === 0 && Number(found) === major) {
      return candidate
    }
  }
  throw new BackupUsageError(
    `no pg_ctl of PostgreSQL ${major} found${pgBin ? ` in ${pgBin}` : ' on the PATH or in the usual locations'}; pass --pg-bin DIR`
  )
}

interface RunOptions {
  uid?: number
  gid?: number
  timeoutMs?: number
}

function runCommand(command: string, args: readonly string[], options: RunOptions): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const libDir = join(command, '..', '..', 'lib')
    const child = spawn(command, args, {
      cwd: '/',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        // Self-contained builds (embedded PostgreSQL) find their libraries beside bin/.
        ...(existsSync(libDir) ? { LD_LIBRARY_PATH: [libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } : {}),
      },
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr })
    })
  })
}

/**
 * The OS identity to run a data directory's server as: its owner. PostgreSQL refuses root, so a
 * root-owned data directory is refused; a non-root caller can only run its own data directories.
 */
export async function serverIdentity(dataDir: string): Promise<{ uid: number; gid: number }> {
  const info = await stat(dataDir)
  const me = process.getuid?.() ?? info.uid
  if (info.uid === 0) {
    throw new BackupUsageError(
      `"${dataDir}" is owned by root and PostgreSQL refuses to run as root: chown -R it to the database OS user, then start it`
    )
  }
  if (me !== 0 && me !== info.uid) {
    throw new BackupUsageError(`"${dataDir}" belongs to uid ${info.uid}; start it as that user`)
  }
  return { uid: info.uid, gid: info.gid }
}

export interface StartServerOptions {
  readonly dataDir: string
  readonly pgCtl: string
  readonly logFile: string
  readonly port?: number | undefined
  readonly waitSeconds?: number
}

/** Starts the server of dataDir as its owner with pg_ctl and waits until it accepts connections. */
export async function startServer(options: StartServerOptions): Promise<void> {
  const identity = await serverIdentity(options.dataDir)
  const args = ['start', '-D', options.dataDir, '-l', options.logFile, '-w', '-t', String(options.waitSeconds ?? 300)]
  if (options.port !== undefined) {
    args.push('-o', `-p ${options.port}`)
  }
  const asOwner = process.getuid?.() === 0 ? identity : {}
  const { code, stderr, stdout } = await runCommand(options.pgCtl, args, asOwner)
  if (code !== 0) {
    throw new BackupFailedError(`pg_ctl could not start the server: ${(stderr || stdout).trim().split('\n').at(-1) ?? ''} (log: ${options.logFile})`)
  }
}
