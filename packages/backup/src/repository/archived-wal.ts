// Reads what coverage needs from a WAL repository (a directory, S3 or the agent): its identity, every
// archived name, and the parsed history file of each timeline.
import {
  DEFAULT_SEGMENT_SIZE,
  fetchWalBytes,
  isHistoryFileName,
  parseTimelineHistory,
  type RepositoryIdentity,
  type TimelineHistoryEntry,
  type WalRepository,
} from '@tidemark/wal'
import type { ArchivedWalView } from './wal-coverage.js'

export interface ArchivedWal extends ArchivedWalView {
  /** Undefined while nothing was ever pushed. */
  readonly identity: RepositoryIdentity | undefined
  readonly location: string
}

/** Lists the repository and parses its history files (a damaged one fails as the WAL package says). */
export async function readArchivedWal(repository: WalRepository): Promise<ArchivedWal> {
  const identity = await repository.readIdentity()
  const names = await repository.list()
  const histories = new Map<number, readonly TimelineHistoryEntry[]>()
  for (const name of names.filter((candidate) => isHistoryFileName(candidate))) {
    const timeline = Number.parseInt(name.slice(0, 8), 16)
    const text = (await fetchWalBytes(repository, name)).toString('utf8')
    histories.set(timeline, parseTimelineHistory(text, timeline))
  }
  return {
    identity,
    location: repository.location,
    names,
    segmentSize: identity?.segmentSize ?? DEFAULT_SEGMENT_SIZE,
    histories,
  }
}
