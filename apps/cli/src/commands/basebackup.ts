import { resolve } from 'node:path'
import { InvalidArgumentError, Option, type Command } from 'commander'
import {
  BASEBACKUP_DEFAULTS,
  GZIP_DEFAULT,
  NO_COMPRESSION,
  ProgressReporter,
  parseCompressionSpec,
  parseMaxRate,
  parseTablespaceMappings,
  type BaseBackupOptions,
  type WalMethod,
} from '@tidemark/backup'
import { parseChecksumAlgorithm, type ChecksumAlgorithm } from '@tidemark/backup'
import type { CliIo } from '../io.js'
import { addConnectionOptions, connectionInput, type ConnectionOptionValues } from '../options/connection-options.js'
import { integerOption } from '../options/integer-option.js'
import { parsedOption } from '../options/parsed-option.js'
import { promptPassword } from '../options/password-prompt.js'
import { addRepositoryOptions, repositoryFlags, type RepositoryOptionValues } from '../options/repository-options.js'
import { CliUsageError } from '../errors.js'
import { runAction, type ActionContext } from '../run-action.js'

interface BaseBackupCliOptions extends ConnectionOptionValues, RepositoryOptionValues {
  readonly pgdata?: string
  readonly format?: 'plain' | 'tar'
  readonly maxRate?: number
  readonly writeRecoveryConf?: boolean
  readonly tablespaceMapping: string[]
  readonly waldir?: string
  readonly walMethod?: WalMethod
  readonly xlog?: boolean
  readonly xlogMethod?: WalMethod
  readonly gzip?: boolean
  readonly compress?: string
  readonly checkpoint: 'fast' | 'spread'
  readonly createSlot?: boolean
  readonly label: string
  readonly clean: boolean
  readonly sync: boolean
  readonly progress?: boolean
  readonly slot?: string | false
  readonly verbose?: boolean
  readonly manifestChecksums: ChecksumAlgorithm
  readonly estimateSize: boolean
  readonly manifest: boolean
  readonly statusInterval: number
  readonly password?: boolean
}

const FORMATS: Record<string, 'plain' | 'tar'> = { p: 'plain', plain: 'plain', t: 'tar', tar: 'tar' }
const WAL_METHODS: Record<string, WalMethod> = { n: 'none', none: 'none', f: 'fetch', fetch: 'fetch', s: 'stream', stream: 'stream' }

function choice<T>(table: Record<string, T>, what: string): (value: string) => T {
  return (value) => {
    const found = table[value]
    if (found === undefined) {
      throw new InvalidArgumentError(`invalid ${what} "${value}", must be ${Object.keys(table).filter((k) => k.length > 1).join(' or ')}`)
    }
    return found
  }
}

const collect = (value: string, previous: string[]): string[] => [...previous, value]

/** `tidemark basebackup`: gs_basebackup's and pg_basebackup's options, with the same meaning. */
export function registerBaseBackup(program: Command, io: CliIo): void {
  const command = program
    .command('basebackup')
    .description('take a base backup of a running PostgreSQL 13-18 or openGauss/MogDB server (as gs_basebackup / pg_basebackup)')
    .option('-D, --pgdata <directory>', 'receive the base backup into this directory (created if missing; must be empty)')
    .addOption(new Option('-F, --format <format>', 'output format: plain (default) or tar (implied by --repo)').argParser(choice(FORMATS, 'output format')))
    .option('-r, --max-rate <rate>', 'maximum transfer rate (kB/s, or with suffix k or M)', parsedOption(parseMaxRate))
    .option('-R, --write-recovery-conf', 'write the standby configuration for the server\'s flavor and version')
    .option('-T, --tablespace-mapping <olddir=newdir>', 'relocate the tablespace in OLDDIR to NEWDIR (repeatable; \\= for a literal =)', collect, [])
    .option('--waldir <directory>', 'location for the write-ahead log directory (plain format)')
    .addOption(new Option('-X, --wal-method <method>', 'include WAL: none, fetch or stream (default)').argParser(choice(WAL_METHODS, 'WAL method')))
    .addOption(new Option('--xlog-method <method>', 'gs_basebackup\'s name of --wal-method').argParser(choice(WAL_METHODS, 'WAL method')).hideHelp())
    .option('-x, --xlog', 'same as -X fetch (gs_basebackup)')
    .option('-z, --gzip', 'compress tar output with gzip at the default level')
    .option('-Z, --compress <level|[client-|server-]method[:level]>', 'compression: a gzip level 0-9, or gzip, lz4, zstd (server-side on PostgreSQL 15+)')
    .addOption(new Option('-c, --checkpoint <mode>', 'checkpoint mode').choices(['fast', 'spread']).default('spread'))
    .option('-C, --create-slot', 'create the replication slot named by -S')
    .option('-l, --label <label>', 'set the backup label', BASEBACKUP_DEFAULTS.label)
    .option('-n, --no-clean', 'do not remove what was written after an error (it is marked incomplete)')
    .option('-N, --no-sync', 'do not wait for the backup to be written safely to disk')
    .option('-P, --progress', 'show progress (a live bar on a terminal, pg_basebackup\'s lines otherwise)')
    .option('-S, --slot <slotname>', 'replication slot for the WAL stream')
    .option('--no-slot', 'no temporary replication slot in stream mode')
    .option('-v, --verbose', 'report each phase')
    .addOption(
      new Option('--manifest-checksums <algorithm>', 'manifest checksums: CRC32C (default), SHA224, SHA256, SHA384, SHA512 or NONE')
        .argParser(parsedOption(parseChecksumAlgorithm))
        .default('CRC32C')
    )
    .option('--no-estimate-size', 'do not ask the server to estimate the backup size')
    .option('--no-manifest', 'do not write a backup_manifest')
  addRepositoryOptions(addConnectionOptions(command), 'store the backup in this repository under a new id instead of -D (tar format)')
    .option('-s, --status-interval <seconds>', 'time between status packets sent to the server', integerOption(0, 2147483), 10)
    .option('-w, --no-password', 'never prompt for a password')
    .option('-W, --password', 'prompt for a password')
    .addHelpText(
      'after',
      '\nThe INFO line names the start position and the slot minimum LSN: on PostgreSQL the lowest restart_lsn of\n' +
        "the server's physical replication slots when it can be read, otherwise the start position.\n" +
        '\nWith --repo (or TIDEMARK_REPO) and no -D, each archive streams straight into the repository (a directory\n' +
        'or s3://bucket/prefix) under a new backup id, printed at the end; a failed run removes what it stored.\n'
    )
    .action(runAction(io, (context, options: BaseBackupCliOptions) => baseBackup(context, options)))
}

/** The typed request of the parsed options (everything but the connection's password prompt). */
export function baseBackupRequest(options: BaseBackupCliOptions, cwd: string, env: NodeJS.ProcessEnv): BaseBackupOptions {
  const toRepository = options.pgdata === undefined
  if (!toRepository && options.repo !== undefined) {
    throw new CliUsageError('-D and --repo cannot be used together: give -D DIR for a backup directory, or --repo REPO to store it in a repository')
  }
  if (toRepository && !options.repo?.trim() && !env['TIDEMARK_REPO']?.trim()) {
    throw new CliUsageError('no target: give -D DIR, or --repo REPO (or set TIDEMARK_REPO) to store the backup in a repository')
  }
  if (toRepository && options.format === 'plain') {
    throw new CliUsageError('a backup into a repository is stored as tar archives: leave out -F plain (-F tar is implied with --repo)')
  }
  let compression = NO_COMPRESSION
  if (options.gzip) {
    compression = GZIP_DEFAULT
  }
  if (options.compress !== undefined) {
    compression = parseCompressionSpec(options.compress)
  }
  const connection = connectionInput(options)
  const walMethod = options.xlog ? 'fetch' : (options.walMethod ?? options.xlogMethod ?? BASEBACKUP_DEFAULTS.walMethod)
  return {
    connection: {
      ...(connection.dbname !== undefined ? { connectionString: connection.dbname } : {}),
      ...(connection.host !== undefined ? { host: connection.host } : {}),
      ...(connection.port !== undefined ? { port: connection.port } : {}),
      ...(connection.user !== undefined ? { user: connection.user } : {}),
      fallbackApplicationName: 'tidemark',
      env,
    },
    targetDir: toRepository ? '' : resolve(cwd, options.pgdata ?? ''),
    format: toRepository ? 'tar' : (options.format ?? 'plain'),
    walMethod,
    compression,
    checkpoint: options.checkpoint,
    label: options.label,
    tablespaceMappings: parseTablespaceMappings(options.tablespaceMapping),
    walDir: options.waldir === undefined ? undefined : resolve(cwd, options.waldir),
    maxRateKb: options.maxRate,
    slot: typeof options.slot === 'string' ? options.slot : undefined,
    createSlot: options.createSlot === true,
    noSlot: options.slot === false,
    writeRecoveryConf: options.writeRecoveryConf === true,
    sync: options.sync,
    clean: options.clean,
    manifest: options.manifest,
    manifestChecksums: options.manifestChecksums,
    estimateSize: options.estimateSize,
    statusIntervalSeconds: options.statusInterval,
  }
}

async function baseBackup(context: ActionContext, options: BaseBackupCliOptions): Promise<void> {
  const { runBaseBackup } = await import('@tidemark/backup')
  const request = baseBackupRequest(options, context.io.cwd, context.io.env)
  const stderr = (text: string): void => context.io.stderr(text)
  const reporter = options.progress ? new ProgressReporter({ write: stderr, isTTY: process.stderr.isTTY }, { verbose: options.verbose === true }) : undefined
  const wantsPrompt = options.password === true
  const run: BaseBackupOptions = {
    ...request,
    connection: {
      ...request.connection,
      // -W prompts; -w (password false) never does; by default prompt only when the server asks and a terminal is there.
      ...(wantsPrompt || (options.password === undefined && process.stdin.isTTY) ? { passwordCallback: () => promptPassword() } : {}),
    },
    signal: context.signal,
    onProgress: (progress) => {
      if (progress.final) {
        reporter?.finish(progress)
        return
      }
      reporter?.update(progress)
    },
    onMessage: (message) => {
      if (message.level === 'verbose' && !options.verbose) {
        return
      }
      stderr(message.level === 'info' || message.level === 'notice' || message.level === 'warning' ? `${message.text}\n` : `tidemark: ${message.text}\n`)
    },
  }
  if (request.targetDir === '') {
    const { backUpToRepository, openBackupRepository } = await import('@tidemark/backup')
    const { repository } = await openBackupRepository(options.repo, repositoryFlags(options), context.io.env, context.io.cwd)
    try {
      const { id, result } = await backUpToRepository({ ...run, repository })
      if (options.verbose) {
        stderr(`tidemark: backup of ${result.flavor} ${result.serverMajor} from ${result.startLsn} to ${result.endLsn} on timeline ${result.timeline} in ${result.targetDir}\n`)
      }
      context.out(id)
    } finally {
      await repository.storage.close()
    }
    return
  }
  const result = await runBaseBackup(run)
  if (options.verbose) {
    stderr(`tidemark: backup of ${result.flavor} ${result.serverMajor} from ${result.startLsn} to ${result.endLsn} on timeline ${result.timeline} in ${result.targetDir}\n`)
  }
}
