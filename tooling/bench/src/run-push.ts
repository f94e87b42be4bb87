import { join } from 'node:path'
import { roundOrder, type BenchCase } from './cases.js'
import { formatMb, formatSeconds } from './format.js'
import { guarded, measure } from './measure.js'
import type { CaseResult } from './results.js'
import type { RunContext } from './run-context.js'
import { freshDir, removeTree, syncDisks } from './scratch-files.js'
import { fillCommand } from './shell-quote.js'
import type { Segment } from './wal-segments.js'

const CALL_TIMEOUT_MS = 300_000

/** A fresh, empty archive for a push case (a directory, then the case's untimed preparation); why not, on failure. */
export async function freshArchive(ctx: RunContext, benchCase: BenchCase, dir: string): Promise<string | undefined> {
  freshDir(dir, ctx.user)
  if (benchCase.prepare === undefined) {
    return undefined
  }
  const run = await measure(ctx, fillCommand(benchCase.prepare, { repo: dir }), dir, CALL_TIMEOUT_MS)
  return run.ok ? undefined : `preparing the archive failed: ${run.reason}`
}

/** Pushes every segment in order into dir, one call each; the call times, or the first failure. */
export async function pushAll(
  ctx: RunContext,
  benchCase: BenchCase,
  segments: readonly Segment[],
  dir: string
): Promise<{ seconds: number[]; peakKb: number[] } | { failure: string }> {
  const seconds: number[] = []
  const peakKb: number[] = []
  for (const segment of segments) {
    const line = fillCommand(benchCase.command, { repo: dir, p: segment.path, f: segment.name })
    const run = await measure(ctx, line, dir, CALL_TIMEOUT_MS)
    if (!run.ok) {
      return { failure: `${segment.name}: ${run.reason}` }
    }
    seconds.push(run.seconds)
    if (run.peakKb !== undefined) {
      peakKb.push(run.peakKb)
    }
  }
  return { seconds, peakKb }
}

/** One round of the archive_command cases: every segment pushed into a fresh archive, time per call. */
export async function runPushRound(
  ctx: RunContext,
  results: readonly CaseResult[],
  round: number,
  segments: readonly Segment[]
): Promise<void> {
  for (const result of roundOrder(results, round)) {
    const { case: benchCase } = result
    result.failure ??= ctx.tools[benchCase.tool].missing
    if (result.failure !== undefined) {
      continue
    }
    await guarded(ctx, result, async () => {
      const dir = join(ctx.scratch, 'push', benchCase.id)
      const notReady = await freshArchive(ctx, benchCase, dir)
      syncDisks()
      const pushed = notReady === undefined ? await pushAll(ctx, benchCase, segments, dir) : { failure: notReady }
      if ('failure' in pushed) {
        result.failure = pushed.failure
        ctx.log(`  ${benchCase.label}: n/a (${pushed.failure})`)
      } else {
        const mean = pushed.seconds.reduce((sum, s) => sum + s, 0) / pushed.seconds.length
        result.seconds.push(mean)
        if (pushed.peakKb.length > 0) {
          result.peakKb.push(Math.max(...pushed.peakKb))
        }
        const peak = pushed.peakKb.length > 0 ? `, peak ${formatMb(Math.max(...pushed.peakKb) * 1024)} MB` : ''
        ctx.log(`  ${benchCase.label}: ${formatSeconds(mean)} s per call over ${segments.length} segments${peak}`)
      }
      removeTree(dir)
      syncDisks()
    })
  }
}
