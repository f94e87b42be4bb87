import { resolve } from 'node:path'
import { Option, type Command } from 'commander'
import {
  AUTO_CONF,
  assertServerStopped,
  describeServer,
  detectServer,
  findManagedBlock,
  readServerTimeZone,
  resolveRecoverySettings,
  writeRecoveryConfig,
  type ServerKind,
  type WrittenFile,
} from '@tidemark/recovery'
import { CliUsageError } from '../errors.js'
import type { CliIo } from '../io.js'
import { integerOption } from '../options/integer-option.js'
import {
  addRecoveryTargetOptions,
  recoveryTargetInput,
  type RecoveryTargetOptionValues,
} from '../options/recovery-target-options.js'
import { runAction, type ActionContext } from '../run-action.js'
import { findTidemarkWal, repoRestoreCommand } from '../tidemark-wal-path.js'

interface RecoveryConfigOptions extends RecoveryTargetOptionValues {
  readonly pgdata: string
  readonly restoreCommand?: string
  readonly repo?: string
  readonly archiveCleanupCommand?: string
  readonly recoveryEndCommand?: string
  readonly port?: number
  readonly flavor?: 'postgresql' | 'opengauss'
  readonly serverVersion?: number
}

/** `tidemark recovery-config`: writes the recovery configuration of a stopped data directory (PITR step 4). */
export function registerRecoveryConfig(program: Command, io: CliIo): void {
  const command = program
    .command('recovery-config')
    .description('write the recovery configuration (restore_command, target) into a stopped data directory')
    .requiredOption('-D, --pgdata <dir>', 'the data directory (its server must be stopped)')
  addRecoveryTargetOptions(command)
    .option('--restore-command <command>', 'restore_command for the server (%f file name, %p path, %% percent)')
    .option('--repo <repo>', 'restore WAL from this repository with the installed tidemark-wal get')
    .option('--archive-cleanup-command <command>', 'archive_cleanup_command (%r)')
    .option('--recovery-end-command <command>', 'recovery_end_command (%r)')
    .option('--port <port>', 'the port the server will listen on (keep a restored copy off the original port)', integerOption(1, 65535))
    .addOption(new Option('--flavor <flavor>', 'server flavor (default: from the data directory)').choices(['postgresql', 'opengauss']))
    .option('--server-version <major>', 'PostgreSQL major (default: from PG_VERSION)', integerOption(1, 99))
    .action(runAction(io, (context, options: RecoveryConfigOptions) => recoveryConfig(context, options)))
}

async function recoveryConfig(context: ActionContext, options: RecoveryConfigOptions): Promise<void> {
  const dataDir = resolve(context.io.cwd, options.pgdata)
  const server = serverOf(dataDir, options)
  assertServerStopped(dataDir)
  if (options.restoreCommand !== undefined && options.repo !== undefined) {
    throw new CliUsageError('give --restore-command or --repo, not both')
  }
  const restoreCommand =
    options.repo === undefined ? options.restoreCommand : repoRestoreCommand(findTidemarkWal(), resolve(context.io.cwd, options.repo))
  const zone = options.targetTime === undefined ? undefined : readServerTimeZone(dataDir)
  const { settings, assumedTimeZone } = resolveRecoverySettings(
    {
      ...recoveryTargetInput(options),
      restoreCommand,
      archiveCleanupCommand: options.archiveCleanupCommand,
      recoveryEndCommand: options.recoveryEndCommand,
    },
    server,
    { timeZone: zone?.zone }
  )
  context.signal.throwIfAborted()
  const written = writeRecoveryConfig({ dataDir, server, settings, port: options.port })
  context.out(`wrote the recovery configuration of ${describeServer(server)} in ${dataDir}:`)
  for (const file of written) {
    printFile(context, file)
  }
  if (assumedTimeZone !== undefined && zone) {
    context.out(`the target time has no zone: read in ${assumedTimeZone} (the server's timezone, from ${zone.source})`)
  }
}

function serverOf(dataDir: string, options: RecoveryConfigOptions): ServerKind {
  if (options.flavor === 'opengauss') {
    if (options.serverVersion !== undefined) {
      throw new CliUsageError('--server-version is for PostgreSQL; openGauss has one recovery format')
    }
    return { flavor: 'opengauss' }
  }
  if (options.serverVersion !== undefined) {
    return { flavor: 'postgresql', major: options.serverVersion }
  }
  const detected = detectServer(dataDir)
  if (options.flavor === 'postgresql' && detected.flavor !== 'postgresql') {
    throw new CliUsageError(`"${dataDir}" looks like an openGauss data directory; give --server-version for PostgreSQL`)
  }
  return detected
}

function printFile(context: ActionContext, file: WrittenFile): void {
  const verb = file.replaces ? 'updated' : 'created'
  if (file.content === '') {
    context.out(`  ${verb} ${file.name} (empty)`)
    return
  }
  const block = file.name === AUTO_CONF ? findManagedBlock(file.content, 'recovery', file.name) : undefined
  const lines = block ? block.lines : file.content.replace(/\n$/, '').split('\n')
  context.out(`  ${verb} ${file.name}${block ? ' (its tidemark recovery block, last in the file)' : ''}:`)
  for (const line of lines) {
    context.out(`    ${line}`)
  }
}
