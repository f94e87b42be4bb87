// archive_cleanup_command: pg_archivecleanup's semantics over a WAL repository.
import { WalNameError } from './errors.js'
import { classifyWalFileName, SEGMENT_NAME_LENGTH } from './wal-file-name.js'
import type { WalRepository } from './wal-repository.js'

export interface CleanupWalOptions {
  readonly repository: WalRepository
  /** %r: the oldest file to keep (a segment, or a .partial / .backup name whose segment counts). */
  readonly oldestKept: string
  /** -n: report what would be removed, remove nothing. */
  readonly dryRun?: boolean
  /** -x EXT: an extension stripped from %r (archives that name files with one, such as .gz). */
  readonly extension?: string
  /** -b: also remove backup history files older than %r. */
  readonly removeBackupHistory?: boolean
}

export interface CleanupWalResult {
  /** The segment every older file was judged against. */
  readonly oldestKept: string
  /** Removed (or, with dryRun, removable) names, oldest first. */
  readonly removed: string[]
}

/**
 * Removes every segment and .partial file (and with removeBackupHistory every .backup file) that
 * lies before %r on %r's timeline or an earlier one. %r itself, later segments, later timelines'
 * files and every timeline history file are kept.
 */
export async function cleanupWal(options: CleanupWalOptions): Promise<CleanupWalResult> {
  const oldest = oldestSegment(options.oldestKept, options.extension)
  const timeline = oldest.slice(0, 8)
  const position = oldest.slice(8)
  const removed: string[] = []
  for (const name of await options.repository.list()) {
    const parsed = classifyWalFileName(name)
    if (!parsed || parsed.kind === 'history' || (parsed.kind === 'backup' && !options.removeBackupHistory)) {
      continue
    }
    const segment = parsed.segment ?? ''
    if (segment.slice(0, 8) <= timeline && segment.slice(8) < position) {
      removed.push(name)
    }
  }
  if (!options.dryRun) {
    for (const name of removed) {
      await options.repository.remove(name)
    }
  }
  return { oldestKept: oldest, removed }
}

function oldestSegment(text: string, extension: string | undefined): string {
  let name = text
  if (extension) {
    const suffix = extension.startsWith('.') ? extension : `.${extension}`
    if (name.endsWith(suffix)) {
      name = name.slice(0, -suffix.length)
    }
  }
  const parsed = classifyWalFileName(name)
  if (!parsed || parsed.kind === 'history') {
    throw new WalNameError(`"${text}" is not a WAL segment name to clean up before (%r)`)
  }
  return (parsed.segment ?? name).slice(0, SEGMENT_NAME_LENGTH)
}
