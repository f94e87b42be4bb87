import type { Command } from 'commander'
import { ProgressReporter, VerifyFailedError, type BackupSource, type VerifyBackupOptions, type VerifyBackupResult } from '@tidemark/backup'
import { CliUsageError } from '../errors.js'
import type { CliIo } from '../io.js'
import { openBackupSource } from '../options/backup-source-options.js'
import { addRepositoryOptions, type RepositoryOptionValues } from '../options/repository-options.js'
import { runAction, type ActionContext } from '../run-action.js'

interface VerifyCliOptions extends RepositoryOptionValues {
  readonly backup?: string
  readonly json?: boolean
  readonly progress?: boolean
  readonly skipChecksums?: boolean
  readonly parseWal: boolean
}

/** `tidemark verify`: a backup against its backup_manifest, and the WAL it needs; exit 0 only when clean. */
export function registerVerify(program: Command, io: CliIo): void {
  const command = program
    .command('verify')
    .description('verify a plain or tar backup against its backup_manifest, and the WAL from its start to its end LSN')
    .argument('[backup]', 'a backup directory (plain or tar, compressed or not) or one archive; with --repo, a backup id')
    .option('--backup <backup>', 'the backup (a path; with --repo, a backup id)')
  addRepositoryOptions(command, 'read the backup from this repository, streaming (with --backup ID)')
    .option('--json', 'print the result as JSON on stdout')
    .option('-P, --progress', 'show progress')
    .option('-s, --skip-checksums', 'check sizes only, not checksums')
    .option('-n, --no-parse-wal', 'do not check the WAL (a -X none backup whose WAL is in an archive)')
    .action(runAction(io, (context, backup: string | undefined, options: VerifyCliOptions) => verify(context, backup, options)))
}

function printProblems(context: ActionContext, result: VerifyBackupResult): void {
  for (const problem of result.problems) {
    context.out(`${problem.kind}: ${problem.file}: ${problem.detail}`)
  }
}

async function verify(context: ActionContext, backup: string | undefined, options: VerifyCliOptions): Promise<void> {
  if (backup !== undefined && options.backup !== undefined) {
    throw new CliUsageError('give the backup once: as the argument or as --backup')
  }
  const { verifyBackup } = await import('@tidemark/backup')
  const opened = await openBackupSource(options, backup ?? options.backup, context.io.cwd, context.io.env)
  try {
    await verifyOpened(context, opened.source, options, verifyBackup)
  } finally {
    await opened.close()
  }
}

async function verifyOpened(
  context: ActionContext,
  source: BackupSource,
  options: VerifyCliOptions,
  verifyBackup: (source: BackupSource, options: VerifyBackupOptions) => Promise<VerifyBackupResult>
): Promise<void> {
  const reporter = options.progress ? new ProgressReporter({ write: (text: string) => context.io.stderr(text), isTTY: process.stderr.isTTY }) : undefined
  let last = { doneBytes: 0, totalBytes: 0, tablespaceNumber: 0, tablespaceCount: 1 }
  const result = await verifyBackup(source, {
    signal: context.signal,
    skipChecksums: options.skipChecksums === true,
    skipWal: !options.parseWal,
    onProgress: (progress) => {
      last = { ...last, doneBytes: progress.doneBytes, totalBytes: progress.totalBytes }
      reporter?.update(last)
    },
  })
  reporter?.finish({ ...last, tablespaceNumber: 1 })
  if (options.json) {
    context.out(JSON.stringify(result, null, 2))
  } else {
    printProblems(context, result)
  }
  if (!result.ok) {
    throw new VerifyFailedError(`${result.backup}: ${result.problems.length} problem(s) found; the backup is not usable as it is`)
  }
  if (typeof source !== 'string' && options.skipChecksums !== true) {
    // A repository's catalog keeps when each backup last passed a full verification.
    await source.repository.markVerified(source.id)
  }
  if (!options.json) {
    context.out(`backup successfully verified: ${result.checkedFiles} files, ${result.walSegments} WAL segment(s)`)
  }
}
