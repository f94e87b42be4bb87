import { livePostmasterPid } from '@tidemark/recovery'

/**
 * The pid of the postmaster that owns dataDir, if postmaster.pid names a live process (a stale file
 * left by a crash, or a zombie, gives undefined). The check is @tidemark/recovery's.
 */
export async function runningPostmasterPid(dataDir: string): Promise<number | undefined> {
  return livePostmasterPid(dataDir)
}
