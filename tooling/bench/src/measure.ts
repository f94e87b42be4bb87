import type { RunContext } from './run-context.js'
import { runTimed, type TimedRun } from './timed-command.js'

/** Runs one filled command line of a case as the server's OS user, timed, with its peak memory. */
export function measure(ctx: RunContext, commandLine: string, cwd: string, timeoutMs: number): Promise<TimedRun> {
  return runTimed(commandLine, { user: ctx.user, env: ctx.env, cwd, timeoutMs, gnuTime: ctx.gnuTime })
}

/** The case's tool is missing: the reason it is reported as n/a. */
export function missingTool(ctx: RunContext, tool: keyof RunContext['tools']): string | undefined {
  return ctx.tools[tool].missing
}
