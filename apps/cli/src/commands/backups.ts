import type { Command } from 'commander'
import type { BackupListing, ListedBackup } from '@tidemark/backup'
import type { CliIo } from '../io.js'
import { addRepositoryOptions, repositoryFlags, type RepositoryOptionValues } from '../options/repository-options.js'
import { runAction, type ActionContext } from '../run-action.js'

interface BackupsCliOptions extends RepositoryOptionValues {
  readonly json?: boolean
}

/** `tidemark backups`: a repository's backups and the WAL that makes each recoverable to a later point. */
export function registerBackups(program: Command, io: CliIo): void {
  addRepositoryOptions(
    program
      .command('backups')
      .description("list a repository's finished backups, each with the WAL range it can be recovered to, and the unfinished ones")
      .option('--json', 'print the listing as JSON on stdout (see docs/repository.md)'),
    'the repository'
  ).action(runAction(io, (context, options: BackupsCliOptions) => backups(context, options)))
}

export function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
}

/** What the WAL does for one backup, in words. */
export function describeCoverage(listed: ListedBackup): string {
  const { wal } = listed
  if (listed.walSystemIdentifier !== undefined) {
    return `not recoverable: the repository's WAL is of database system ${listed.walSystemIdentifier}, the backup of ${listed.record.systemIdentifier}`
  }
  if (!wal.consistent) {
    return `not recoverable: WAL missing from ${wal.missingFrom ?? wal.startSegment} (it needs ${wal.startSegment} to ${wal.endSegment})`
  }
  const reach = wal.recoverableTo
  const to = reach ? `recoverable to ${reach.lsn} (${reach.segment}) on timeline ${reach.timeline}` : 'consistent'
  const gap = wal.missingFrom ? `; WAL missing from ${wal.missingFrom} (later WAL is out of reach)` : ''
  return `${to}${gap}`
}

function listingLines(listing: BackupListing): string[] {
  const lines: string[] = []
  if (listing.backups.length === 0) {
    lines.push(`no finished backups in ${listing.location}`)
  }
  for (const listed of listing.backups) {
    const { record } = listed
    lines.push(
      `${record.id}  ${record.startTime} .. ${record.endTime}  LSN ${record.startLsn} .. ${record.endLsn}  timeline ${record.timeline}  ` +
        `${mebibytes(record.bytes)}  ${record.flavor} ${record.serverMajor}  ${record.format}, ${record.compression === 'none' ? 'uncompressed' : record.compression}`
    )
    lines.push(`  WAL from ${listed.wal.startSegment}: ${describeCoverage(listed)}`)
  }
  if (listing.unfinished.length > 0) {
    lines.push(`unfinished (running, or left by a failed run): ${listing.unfinished.length}`)
    for (const unfinished of listing.unfinished) {
      lines.push(`${unfinished.id}  ${mebibytes(unfinished.bytes)}  last written ${unfinished.lastActivity.toISOString()}`)
    }
  }
  return lines
}

/** The JSON document of `backups --json` (documented in docs/repository.md). */
export function listingJson(listing: BackupListing): unknown {
  return {
    repository: listing.location,
    systemIdentifier: listing.walIdentity?.systemIdentifier ?? null,
    segmentSize: listing.segmentSize,
    backups: listing.backups.map(({ record, wal, walSystemIdentifier }) => ({
      ...record,
      wal: {
        otherSystem: walSystemIdentifier ?? null,
        startSegment: wal.startSegment,
        endSegment: wal.endSegment,
        consistent: wal.consistent,
        missing: wal.missing,
        timelines: wal.timelines,
        recoverableTo: wal.recoverableTo ?? null,
        missingFrom: wal.missingFrom ?? null,
      },
    })),
    unfinished: listing.unfinished.map((unfinished) => ({
      id: unfinished.id,
      bytes: unfinished.bytes,
      lastWritten: unfinished.lastActivity.toISOString(),
    })),
  }
}

async function backups(context: ActionContext, options: BackupsCliOptions): Promise<void> {
  const { listBackups, openRepositoryCatalog } = await import('@tidemark/backup')
  const catalog = await openRepositoryCatalog(options.repo, repositoryFlags(options), context.io.env, context.io.cwd)
  try {
    const listing = await listBackups(catalog.backups, catalog.wal)
    if (options.json) {
      context.out(JSON.stringify(listingJson(listing), null, 2))
      return
    }
    for (const line of listingLines(listing)) {
      context.out(line)
    }
  } finally {
    await catalog.close()
  }
}
