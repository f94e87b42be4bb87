// restore_command with look-ahead: serve from the spool when it has the file, else from the
// repository; then keep the spool filled with the next segments.
import { getWal } from './get-wal.js'
import { livePrefetcher, makeSpool, noteWanted, prefetchWindow, pruneSpool, removeSpool, spoolDirectory, takeFromSpool } from './prefetch-spool.js'
import { isHistoryFileName, isSegmentFileName, parseWalFileName } from './wal-file-name.js'
import type { WalRepository } from './wal-repository.js'

export interface RestoreWalOptions {
  readonly repository: WalRepository
  readonly fileName: string
  readonly targetPath: string
  /** Segments to fetch ahead into the spool; 0 (the default) disables the spool. */
  readonly prefetch?: number
  /**
   * Starts the background fetch of these names into the spool (a detached process in the app,
   * fillSpool in tests). Called only when some are missing.
   */
  readonly startPrefetch?: (spool: string, names: readonly string[], depth: number) => void | Promise<void>
}

export interface RestoreWalResult {
  readonly fileName: string
  readonly source: 'spool' | 'repository'
}

export async function restoreWal(options: RestoreWalOptions): Promise<RestoreWalResult> {
  const { repository, fileName, targetPath } = options
  parseWalFileName(fileName)
  const prefetch = options.prefetch ?? 0
  const spool = spoolDirectory(targetPath)
  let source: RestoreWalResult['source'] = 'repository'
  if (prefetch > 0 && (await takeFromSpool(spool, fileName, targetPath))) {
    source = 'spool'
  } else {
    if (prefetch > 0 && isSegmentFileName(fileName)) {
      await noteWanted(spool, fileName)
    }
    try {
      await getWal({ repository, fileName, targetPath })
    } catch (error) {
      if (prefetch > 0 && isHistoryFileName(fileName)) {
        await removeSpool(spool)
      }
      throw error
    }
  }
  if (prefetch > 0 && isHistoryFileName(fileName)) {
    // PostgreSQL asks for history files when recovery starts and when it ends (to pick the new
    // timeline): either way the look-ahead is over, and its spool goes.
    await removeSpool(spool)
  } else if (prefetch > 0 && isSegmentFileName(fileName)) {
    const identity = await repository.readIdentity()
    if (identity) {
      const missing = await pruneSpool(spool, prefetchWindow(fileName, prefetch, identity.segmentSize))
      // A live prefetcher follows recovery (the segment noted as wanted): a second one would exit at once.
      if (missing.length > 0 && options.startPrefetch && !(await livePrefetcher(spool))) {
        await makeSpool(spool)
        await options.startPrefetch(spool, missing, prefetch)
      }
    }
  }
  return { fileName, source }
}
