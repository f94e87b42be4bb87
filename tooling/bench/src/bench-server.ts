import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chownTree, killPostmaster, livePostmasterPid, runAs, runAsOrThrow, type OsUser } from '@tidemark/test-fixtures'

export interface BenchServer {
  readonly port: number
  readonly socketDir: string
  readonly dataDir: string
  readonly binDir: string
  readonly logFile: string
  /** Runs SQL as the superuser through psql and returns its unaligned, tuples-only output. */
  psql(sql: string, timeoutMs?: number): Promise<string>
  /** Runs a binary of binDir as the server's OS user, throwing on failure. */
  run(binary: string, args: readonly string[], timeoutMs?: number): Promise<string>
  logTail(): string
  stop(): Promise<void>
}

export interface BenchServerOptions {
  readonly baseDir: string
  readonly binDir: string
  readonly user: OsUser
  readonly port: number
  readonly env: NodeJS.ProcessEnv
  readonly archiveCommand: string
}

/** A postgresql.conf string literal. */
function confString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/** initdb and start a PostgreSQL cluster of Debian's server, archiving, as the unprivileged server user. */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const { baseDir, binDir, user, port, env } = options
  const dataDir = join(baseDir, 'data')
  const socketDir = join(baseDir, 'socket')
  const logFile = join(baseDir, 'server.log')
  mkdirSync(socketDir, { recursive: true })
  chownTree(baseDir, user)
  const run = async (binary: string, args: readonly string[], timeoutMs = 600_000): Promise<string> =>
    (await runAsOrThrow(user, join(binDir, binary), args, { env, cwd: baseDir, timeoutMs })).stdout
  await run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'])
  appendFileSync(
    join(dataDir, 'postgresql.conf'),
    [
      '',
      '# npm run bench',
      "listen_addresses = '127.0.0.1'",
      `port = ${port}`,
      `unix_socket_directories = ${confString(socketDir)}`,
      'wal_level = replica',
      'max_wal_senders = 10',
      'archive_mode = on',
      `archive_command = ${confString(options.archiveCommand)}`,
      'shared_buffers = 256MB',
      'max_wal_size = 4GB',
      'checkpoint_timeout = 30min',
      '',
    ].join('\n')
  )
  const server: BenchServer = {
    port,
    socketDir,
    dataDir,
    binDir,
    logFile,
    run,
    psql: (sql, timeoutMs) =>
      run('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', sql], timeoutMs),
    logTail: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : ''),
    stop: async () => {
      const pid = livePostmasterPid(dataDir)
      if (pid === undefined) {
        return
      }
      const result = await runAs(user, join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], { env, timeoutMs: 90_000 })
      if (result.code !== 0 || livePostmasterPid(dataDir) !== undefined) {
        await killPostmaster(pid)
      }
    },
  }
  try {
    await run('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '300', 'start'], 330_000)
  } catch (error) {
    throw new Error(`the benchmark server did not start: ${(error as Error).message}\n${server.logTail()}`, { cause: error })
  }
  return server
}
