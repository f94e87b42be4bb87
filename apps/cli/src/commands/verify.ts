import { resolve } from 'node:path'
import type { Command } from 'commander'
import { ProgressReporter, VerifyFailedError, type VerifyBackupResult } from '@tidemark/backup'
import type { CliIo } from '../io.js'
import { runAction, type ActionContext } from '../run-action.js'

interface VerifyCliOptions {
  readonly json?: boolean
  readonly progress?: boolean
  readonly skipChecksums?: boolean
  readonly parseWal: boolean
}

/** `tidemark verify`: a backup against its backup_manifest, and the WAL it needs; exit 0 only when clean. */
export function registerVerify(program: Command, io: CliIo): void {
  program
    .command('verify')
    .description('verify a plain or tar backup against its backup_manifest, and the WAL from its start to its end LSN')
    .argument('<backup>', 'a backup directory (plain or tar, compressed or not) or one archive')
    .option('--json', 'print the result as JSON on stdout')
    .option('-P, --progress', 'show progress')
    .option('-s, --skip-checksums', 'check sizes only, not checksums')
    .option('-n, --no-parse-wal', 'do not check the WAL (a -X none backup whose WAL is in an archive)')
    .action(runAction(io, (context, backup: string, options: VerifyCliOptions) => verify(context, backup, options)))
}

function printProblems(context: ActionContext, result: VerifyBackupResult): void {
  for (const problem of result.problems) {
    context.out(`${problem.kind}: ${problem.file}: ${problem.detail}`)
  }
}

async function verify(context: ActionContext, backup: string, options: VerifyCliOptions): Promise<void> {
  const { verifyBackup } = await import('@tidemark/backup')
  const reporter = options.progress ? new ProgressReporter({ write: (text: string) => context.io.stderr(text), isTTY: process.stderr.isTTY }) : undefined
  let last = { doneBytes: 0, totalBytes: 0, tablespaceNumber: 0, tablespaceCount: 1 }
  const result = await verifyBackup(resolve(context.io.cwd, backup), {
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
  if (!options.json) {
    context.out(`backup successfully verified: ${result.checkedFiles} files, ${result.walSegments} WAL segment(s)`)
  }
}
