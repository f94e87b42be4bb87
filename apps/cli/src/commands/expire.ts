import { InvalidArgumentError, type Command } from 'commander'
import type { ExpireResult } from '@tidemark/backup'
import type { CliIo } from '../io.js'
import { integerOption } from '../options/integer-option.js'
import { addRepositoryOptions, repositoryFlags, type RepositoryOptionValues } from '../options/repository-options.js'
import { runAction, type ActionContext } from '../run-action.js'
import { mebibytes } from './backups.js'

interface ExpireCliOptions extends RepositoryOptionValues {
  readonly retainFull?: number
  readonly retainDays?: number
  readonly dryRun?: boolean
  readonly json?: boolean
  readonly unfinishedGrace?: number
}

function positiveNumber(value: string): number {
  const text = value.trim()
  if (!/^\d+(\.\d+)?$/.test(text)) {
    throw new InvalidArgumentError('expected a number of days, e.g. 7 or 1.5')
  }
  return Number(text)
}

/** `tidemark expire`: removes older backups and the WAL no kept backup needs. */
export function registerExpire(program: Command, io: CliIo): void {
  addRepositoryOptions(
    program
      .command('expire')
      .description(
        "remove older backups of a repository and the WAL no kept backup needs (WAL from the oldest kept backup's start on and every history file stay)"
      )
      .option('--retain-full <N>', 'keep the newest N finished backups (1 or more)', integerOption(0, 1_000_000))
      .option('--retain-days <D>', 'keep what recovery to any point of the last D days needs', positiveNumber)
      .option('--dry-run', 'say what would be removed; change nothing')
      .option('--json', 'print the result as JSON on stdout (see docs/repository.md)')
      .option('--unfinished-grace <hours>', 'leave unfinished backups written to in the last N hours alone (default 24)', integerOption(0, 10_000)),
    'the repository'
  ).action(runAction(io, (context, options: ExpireCliOptions) => expire(context, options)))
}

/** The WAL names as runs per timeline (first .. last, count) and the other files one by one. */
function walLines(result: ExpireResult, verb: string): string[] {
  if (result.walRemoved.length === 0) {
    return [result.walKeptFrom ? `no WAL lies before ${result.walKeptFrom}` : 'no WAL removed: nothing is archived, or no kept backup is of the archived WAL\'s database system']
  }
  const inventory = result.walRemovedRuns
  const lines = [`${verb} ${result.walRemoved.length} WAL file(s) before ${result.walKeptFrom ?? ''}:`]
  for (const timeline of inventory.timelines) {
    for (const run of timeline.ranges) {
      lines.push(`  ${run.first} .. ${run.last} (${run.count} segment(s), timeline ${timeline.timeline})`)
    }
  }
  for (const name of [...inventory.partial, ...inventory.backupHistory]) {
    lines.push(`  ${name}`)
  }
  return lines
}

function resultLines(result: ExpireResult): string[] {
  const verb = result.dryRun ? 'would remove' : 'removed'
  const lines = [`keeping ${result.kept.length} backup(s): ${result.kept.map((record) => record.id).join(', ') || 'none'}`]
  for (const record of result.expired) {
    lines.push(`${verb} backup ${record.id} (ended ${record.endTime}, LSN ${record.endLsn}, timeline ${record.timeline})`)
  }
  for (const unfinished of result.unfinishedRemoved) {
    lines.push(`${verb} unfinished backup ${unfinished.id} (last written ${unfinished.lastActivity.toISOString()})`)
  }
  for (const unfinished of result.unfinishedKept) {
    lines.push(`left unfinished backup ${unfinished.id} alone: written ${unfinished.lastActivity.toISOString()}, it may be running`)
  }
  lines.push(...walLines(result, verb))
  lines.push(`${verb} ${mebibytes(result.removedBackupBytes)} of backups${result.dryRun ? ' (dry run: nothing was changed)' : ''}`)
  return lines
}

function resultJson(result: ExpireResult): unknown {
  const unfinished = (list: ExpireResult['unfinishedKept']): unknown[] =>
    list.map((backup) => ({ id: backup.id, bytes: backup.bytes, lastWritten: backup.lastActivity.toISOString() }))
  return {
    dryRun: result.dryRun,
    kept: result.kept.map((record) => record.id),
    expired: result.expired.map((record) => record.id),
    unfinishedRemoved: unfinished(result.unfinishedRemoved),
    unfinishedKept: unfinished(result.unfinishedKept),
    walKeptFrom: result.walKeptFrom ?? null,
    walRemoved: result.walRemoved,
    removedBackupBytes: result.removedBackupBytes,
  }
}

async function expire(context: ActionContext, options: ExpireCliOptions): Promise<void> {
  const { checkRetentionPolicy, expireRepository, openRepositoryCatalog } = await import('@tidemark/backup')
  const policy = checkRetentionPolicy(options.retainFull, options.retainDays)
  const catalog = await openRepositoryCatalog(options.repo, repositoryFlags(options), context.io.env, context.io.cwd)
  try {
    const result = await expireRepository({
      backups: catalog.backups,
      wal: catalog.wal,
      policy,
      dryRun: options.dryRun === true,
      unfinishedGraceMs: options.unfinishedGrace === undefined ? undefined : options.unfinishedGrace * 3600 * 1000,
      signal: context.signal,
    })
    if (options.json) {
      context.out(JSON.stringify(resultJson(result), null, 2))
      return
    }
    for (const line of resultLines(result)) {
      context.out(line)
    }
  } finally {
    await catalog.close()
  }
}
