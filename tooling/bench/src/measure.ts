import type { CaseResult } from './results.js'
import type { RunContext } from './run-context.js'
import { runTimed, type TimedRun } from './timed-command.js'

/** Runs one filled command line of a case as the server's OS user, timed, with its peak memory. */
export function measure(ctx: RunContext, commandLine: string, cwd: string, timeoutMs: number): Promise<TimedRun> {
  return runTimed(commandLine, { user: ctx.user, env: ctx.env, cwd, timeoutMs, gnuTime: ctx.gnuTime })
}

/** Runs one case's turn; an unexpected error makes that case n/a and the run goes on. */
export async function guarded(ctx: RunContext, result: CaseResult, turn: () => Promise<void>): Promise<void> {
  try {
    await turn()
  } catch (error) {
    result.failure = `harness error: ${(error as Error).message}`
    ctx.log(`  ${result.case.label}: n/a (${result.failure})`)
  }
}
