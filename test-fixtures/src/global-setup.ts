// vitest globalSetup of every integration project: one run directory for all fixtures of the run,
// swept at the end so no server outlives the tests, whatever happened to them.
import { createRunDir, RUN_DIR_ENV, sweepRunDir } from './run-dir.js'
import { sweepS3Servers } from './s3/ceph-sweep.js'

export default function setup(): () => Promise<void> {
  const dir = createRunDir()
  process.env[RUN_DIR_ENV] = dir
  const sweep = async (): Promise<void> => {
    const cephDaemons = await sweepS3Servers(dir)
    const { stopped } = await sweepRunDir(dir)
    if (stopped + cephDaemons > 0) {
      console.warn(`test-fixtures: stopped ${stopped} server(s) and ${cephDaemons} Ceph daemon(s) a test left running`)
    }
  }
  return sweep
}
