import { resolve } from 'node:path'
import type { Command } from 'commander'
import { CliUsageError } from '../errors.js'
import { openBackupSource } from '../options/backup-source-options.js'
import { addRepositoryOptions, type RepositoryOptionValues } from '../options/repository-options.js'
import { ProgressReporter, parseTablespaceMappings, type ExtractProgress } from '@tidemark/backup'
import type { CliIo } from '../io.js'
import { runAction, type ActionContext } from '../run-action.js'

interface ExtractCliOptions extends RepositoryOptionValues {
  readonly backup?: string
  readonly pgdata: string
  readonly tablespaceMapping: string[]
  readonly progress?: boolean
  readonly verbose?: boolean
  readonly sync: boolean
}

/** Commander's collector of a repeatable -T. */
export const collectTablespaceMapping = (value: string, previous: string[]): string[] => [...previous, value]

/** -P: archive bytes read as pg_basebackup-style progress on stderr; undefined without -P. */
export function extractProgress(context: ActionContext, enabled: boolean | undefined): { update(progress: ExtractProgress): void; finish(): void } | undefined {
  if (!enabled) {
    return undefined
  }
  const reporter = new ProgressReporter({ write: (text: string) => context.io.stderr(text), isTTY: process.stderr.isTTY })
  let last = { doneBytes: 0, totalBytes: 0, tablespaceNumber: 0, tablespaceCount: 1 }
  return {
    update: (progress) => {
      last = { doneBytes: progress.doneBytes, totalBytes: progress.totalBytes, tablespaceNumber: progress.archiveNumber - 1, tablespaceCount: progress.archiveCount }
      reporter.update(last)
    },
    finish: () => reporter.finish({ ...last, tablespaceNumber: last.tablespaceCount }),
  }
}

/** `tidemark extract`: rebuilds a data directory from a tar-format backup or one archive (replaces gs_tar). */
export function registerExtract(program: Command, io: CliIo): void {
  const command = program
    .command('extract')
    .description('rebuild a data directory from a tar-format backup (tidemark, pg_basebackup, gs_basebackup) or one archive')
    .argument('[source]', 'a backup directory written with -F tar, or one archive (.tar, .tar.gz, .tar.lz4, .tar.zst, gs_tar); with --repo, a backup id')
    .option('--backup <backup>', 'the backup (a path; with --repo, a backup id)')
  addRepositoryOptions(command, 'read the backup from this repository, streaming (with --backup ID)')
    .requiredOption('-D, --pgdata <directory>', 'the data directory to create (must be missing or empty)')
    .option('-T, --tablespace-mapping <olddir=newdir>', 'put the tablespace of OLDDIR into NEWDIR (repeatable; \\= for a literal =)', collectTablespaceMapping, [])
    .option('-P, --progress', 'show progress')
    .option('-v, --verbose', 'report each archive and link')
    .option('-N, --no-sync', 'do not wait for the files to be written safely to disk')
    .action(runAction(io, (context, source: string | undefined, options: ExtractCliOptions) => extract(context, source, options)))
}

async function extract(context: ActionContext, named: string | undefined, options: ExtractCliOptions): Promise<void> {
  if (named !== undefined && options.backup !== undefined) {
    throw new CliUsageError('give the backup once: as the argument or as --backup')
  }
  const { extractBackup } = await import('@tidemark/backup')
  const opened = await openBackupSource(options, named ?? options.backup, context.io.cwd, context.io.env)
  const progress = extractProgress(context, options.progress)
  const result = await extractBackup({
    source: opened.source,
    targetDir: resolve(context.io.cwd, options.pgdata),
    tablespaceMappings: parseTablespaceMappings(options.tablespaceMapping),
    sync: options.sync,
    signal: context.signal,
    onProgress: progress?.update,
    onMessage: options.verbose ? (text) => context.io.stderr(`tidemark: ${text}\n`) : undefined,
  }).finally(() => opened.close())
  progress?.finish()
  const files = result.archives.reduce((sum, archive) => sum + archive.files, 0)
  context.out(`extracted ${result.archives.length} archive(s), ${files} files, into ${result.targetDir} (${result.flavor})`)
  for (const { oid, location } of result.tablespaces) {
    context.out(`tablespace ${oid}: ${location}`)
  }
}
