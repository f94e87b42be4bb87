import type { OsUser } from '@tidemark/test-fixtures'
import type { BenchOptions } from './args.js'
import type { Toolbox } from './tools.js'

/** What every group runner needs: who runs the commands, where, with which tools. */
export interface RunContext {
  readonly options: BenchOptions
  readonly user: OsUser
  readonly env: NodeJS.ProcessEnv
  /** The run's scratch directory, owned by the server's OS user. */
  readonly scratch: string
  readonly tools: Toolbox
  readonly gnuTime: boolean
  /** pgBackRest's repository of the full backups (its backup/bench directory is measured). */
  readonly pgbackrestRepo: string
  readonly log: (line: string) => void
}
