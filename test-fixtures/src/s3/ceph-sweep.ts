// The run-wide safety net: ends the daemons of every S3 test cluster left under a directory.
import { findClusterDirs, stopDaemons } from './ceph-daemons.js'

/** Stops the Ceph daemons of every cluster directory under dir; returns how many daemons were running. */
export async function sweepS3Servers(dir: string): Promise<number> {
  let stopped = 0
  for (const clusterDir of findClusterDirs(dir, 3)) {
    stopped += await stopDaemons(clusterDir)
  }
  return stopped
}
