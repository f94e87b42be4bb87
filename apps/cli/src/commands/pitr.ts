import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { BackupRepository, BackupSource, PitrResult, PitrStop } from '@tidemark/backup'
import { CliUsageError } from '../errors.js'
import type { CliIo } from '../io.js'
import { integerOption } from '../options/integer-option.js'
import {
  addRecoveryTargetOptions,
  recoveryTargetInput,
  type RecoveryTargetOptionValues,
} from '../options/recovery-target-options.js'
import { addS3Options, repositoryFlags, type S3OptionValues } from '../options/repository-options.js'
import { repositoryRestoreCommand } from '../options/repository-restore-command.js'
import { runAction, type ActionContext } from '../run-action.js'
import { findTidemarkWal } from '../tidemark-wal-path.js'

interface PitrCliOptions extends RecoveryTargetOptionValues, S3OptionValues {
  readonly backup?: string
  readonly pgdata: string
  readonly repo: string
  readonly moveAside?: string
  readonly port?: number
  readonly start?: boolean
  readonly pgBin?: string
  readonly host?: string
  readonly username?: string
  readonly sync: boolean
}

/** `tidemark pitr`: point-in-time recovery of a backup with WAL from a tidemark-wal repository. */
export function registerPitr(program: Command, io: CliIo): void {
  const command = program
    .command('pitr')
    .description('recover a backup to a point in time with WAL from a repository (preflight first; the old data directory is moved aside)')
    .option('--backup <backup>', "a backup id of the repository, or a plain or tar-format backup with a backup_manifest (default: the repository's newest backup before the target)")
    .requiredOption('-D, --pgdata <directory>', 'the data directory to recover into (its server must be stopped)')
    .requiredOption('--repo <repo>', 'the repository the archive_command pushed WAL to, holding the backups too (a directory, s3://bucket/prefix or http(s)://agent:port)')
  addRecoveryTargetOptions(addS3Options(command))
    .option('--move-aside <directory>', 'where the old data directory and tablespaces go (default: <pgdata>.aside-<time>)')
    .option('--port <port>', 'the port the recovered server listens on', integerOption(1, 65535))
    .option('--start', "start the server as the data directory's OS user and wait until recovery stops")
    .option('--pg-bin <directory>', 'where pg_ctl is (with --start)')
    .option('--host <host>', 'with --start: where to connect to read the recovery state (default: its socket directory)')
    .option('-U, --username <name>', 'with --start: the user to read the recovery state as (default: PGUSER or postgres)')
    .option('-N, --no-sync', 'do not wait for the files to be written safely to disk')
    .addHelpText(
      'after',
      '\nNo target: recover to the end of the archived WAL. Run as root, the recovered files are given to the\nowner of the old data directory (or of its parent directory).\n' +
        'With an s3:// repository the restore_command carries --repo and the S3 endpoint, region, profile and path\n' +
        "style; credentials come from the server's environment or AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE /\n" +
        'AWS_PROFILE (passed on when set here), never from keys written into the configuration.\n'
    )
    .action(runAction(io, (context, options: PitrCliOptions) => pitr(context, options)))
}

/** One line: where recovery stopped and why. */
export function describeStop(stop: PitrStop): string {
  const where = [
    stop.lsn === undefined ? undefined : `LSN ${stop.lsn}`,
    stop.time === undefined ? undefined : `time ${stop.time}`,
    stop.timeline === undefined ? undefined : `timeline ${stop.timeline}`,
  ].filter((part) => part !== undefined)
  const why: Record<PitrStop['reason'], string> = {
    'paused-at-target': 'the target was reached and replay is paused (check the data, then `tidemark resume` to finish recovery)',
    'promoted-at-target': 'the target was reached and the server was promoted: it accepts writes',
    'shutdown-at-target': 'the target was reached and the server shut down (recovery_target_action = shutdown)',
    'end-of-wal': 'no target: all archived WAL was replayed and the server was promoted',
    'target-not-reached': 'the target was never reached: recovery ran out of WAL at the end of the archive and the server refused to start',
  }
  return `recovery stopped at ${where.join(', ') || 'an unknown position'}: ${why[stop.reason]}`
}

function report(context: ActionContext, result: PitrResult): void {
  context.out(`recovered the backup into ${result.dataDir} (WAL ${result.preflight.backupStart} .. ${result.preflight.backupEnd} on timeline ${result.preflight.backupTimeline} verified in the repository)`)
  if (result.asideDir !== undefined) {
    context.out(`the old data is kept in ${result.asideDir}`)
  }
  if (!result.stop) {
    context.out(`start it as its OS user with: ${result.startCommand}`)
    return
  }
  context.out(describeStop(result.stop))
  if (result.stop.logLine !== undefined) {
    context.out(`server log: ${result.stop.logLine}`)
  }
}

async function pitr(context: ActionContext, options: PitrCliOptions): Promise<void> {
  if (!options.start && (options.pgBin !== undefined || options.host !== undefined || options.username !== undefined)) {
    throw new CliUsageError('--pg-bin, --host and --username are for --start')
  }
  const { runPitr, openBackupRepository, isBackupId, PitrTargetNotReachedError } = await import('@tidemark/backup')
  const cwd = context.io.cwd
  // A URL (s3://, http(s)://) is not a path.
  const repo = /^(s3|https?):\/\//i.test(options.repo) ? options.repo : resolve(cwd, options.repo)
  const { repository } = await openBackupRepository(repo, repositoryFlags(options), context.io.env, cwd)
  try {
    const result = await runPitr({
      backup: chooseBackup(context, options, repository, isBackupId),
      backups: repository,
      s3: repositoryFlags(options),
      tokenFile: options.tokenFile,
      env: context.io.env,
      dataDir: resolve(cwd, options.pgdata),
      repo,
      restoreCommand: repositoryRestoreCommand(findTidemarkWal(), repo, options, context.io.env),
      target: recoveryTargetInput(options),
      asideDir: options.moveAside === undefined ? undefined : resolve(cwd, options.moveAside),
      port: options.port,
      start: options.start === true,
      pgBin: options.pgBin === undefined ? undefined : resolve(cwd, options.pgBin),
      connection: {
        ...(options.host === undefined ? {} : { host: options.host }),
        ...(options.username === undefined ? {} : { user: options.username }),
        env: context.io.env,
      },
      sync: options.sync,
      signal: context.signal,
      onMessage: (text) => context.io.stderr(`tidemark: ${text}\n`),
    })
    report(context, result)
    if (result.stop?.reason === 'target-not-reached') {
      throw new PitrTargetNotReachedError(
        `the recovery target was not reached before the end of the archived WAL (log: ${result.stop.logFile}); choose a target the archive reaches, or none for its end`
      )
    }
  } finally {
    await repository.storage.close()
  }
}

/**
 * --backup ID (a backup of the repository) or --backup PATH (a backup directory or archive); none:
 * runPitr picks the repository's backup for the target.
 */
function chooseBackup(
  context: ActionContext,
  options: PitrCliOptions,
  repository: BackupRepository,
  isBackupId: (text: string) => boolean
): BackupSource | undefined {
  const named = options.backup?.trim()
  if (named === undefined || named === '') {
    return undefined
  }
  const path = resolve(context.io.cwd, named)
  // A backup id (YYYYMMDDTHHMMSSZ-xxxxxx) that is no path names a backup of the repository.
  return isBackupId(named) && !existsSync(path) ? { repository, id: named } : path
}
