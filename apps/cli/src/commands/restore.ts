import { resolve } from 'node:path'
import type { Command } from 'commander'
import { parseTablespaceMappings } from '@tidemark/backup'
import { CliUsageError } from '../errors.js'
import type { CliIo } from '../io.js'
import { integerOption } from '../options/integer-option.js'
import { openBackupSource } from '../options/backup-source-options.js'
import { addRepositoryOptions, type RepositoryOptionValues } from '../options/repository-options.js'
import { runAction, type ActionContext } from '../run-action.js'
import { collectTablespaceMapping, extractProgress } from './extract.js'

interface RestoreCliOptions extends RepositoryOptionValues {
  readonly backup: string
  readonly pgdata: string
  readonly moveAside?: string
  readonly tablespaceMapping: string[]
  readonly port?: number
  readonly start?: boolean
  readonly pgBin?: string
  readonly progress?: boolean
  readonly sync: boolean
}

/** `tidemark restore`: the reference's restore procedure as one command. */
export function registerRestore(program: Command, io: CliIo): void {
  const command = program
    .command('restore')
    .description('restore a backup into a stopped data directory, moving the old data and its tablespaces aside (never deleted)')
    .requiredOption('--backup <backup>', 'a plain backup, a tar-format backup directory, or one archive; with --repo, a backup id')
  addRepositoryOptions(command, 'read the backup from this repository, streaming')
    .requiredOption('-D, --pgdata <directory>', 'the data directory to restore (its server must be stopped)')
    .option('--move-aside <directory>', 'where the old data directory and tablespaces go (default: <pgdata>.aside-<time>)')
    .option('-T, --tablespace-mapping <olddir=newdir>', 'put the tablespace of OLDDIR into NEWDIR (repeatable; \\= for a literal =)', collectTablespaceMapping, [])
    .option('--port <port>', 'the port the restored server listens on (when the original may still run)', integerOption(1, 65535))
    .option('--start', 'start the restored server as the data directory\'s OS user and wait until it accepts connections')
    .option('--pg-bin <directory>', 'where pg_ctl is (with --start)')
    .option('-P, --progress', 'show progress of the extraction')
    .option('-N, --no-sync', 'do not wait for the files to be written safely to disk')
    .action(runAction(io, (context, options: RestoreCliOptions) => restore(context, options)))
}

async function restore(context: ActionContext, options: RestoreCliOptions): Promise<void> {
  if (options.pgBin !== undefined && !options.start) {
    throw new CliUsageError('--pg-bin is for --start')
  }
  const { restoreBackup } = await import('@tidemark/backup')
  const cwd = context.io.cwd
  const progress = extractProgress(context, options.progress)
  const opened = await openBackupSource(options, options.backup, cwd, context.io.env)
  const result = await restoreBackup({
    backup: opened.source,
    dataDir: resolve(cwd, options.pgdata),
    asideDir: options.moveAside === undefined ? undefined : resolve(cwd, options.moveAside),
    tablespaceMappings: parseTablespaceMappings(options.tablespaceMapping),
    port: options.port,
    start: options.start === true,
    pgBin: options.pgBin === undefined ? undefined : resolve(cwd, options.pgBin),
    sync: options.sync,
    signal: context.signal,
    onProgress: progress?.update,
    onMessage: (text) => context.io.stderr(`tidemark: ${text}\n`),
  }).finally(() => opened.close())
  progress?.finish()
  context.out(`restored ${result.flavor} backup into ${result.dataDir}`)
  if (result.asideDir !== undefined) {
    context.out(`the old data is kept in ${result.asideDir}`)
  }
  context.out(result.started ? 'the server is running' : `start it as its OS user with: ${result.startCommand}`)
}
