import { mkdirSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { chownTree } from '@tidemark/test-fixtures'
import { roundOrder, type BenchCase } from './cases.js'
import { formatMb, formatSeconds } from './format.js'
import { guarded, measure } from './measure.js'
import type { CaseResult } from './results.js'
import type { RunContext } from './run-context.js'
import { freshArchive, pushAll } from './run-push.js'
import { freshDir, removeTree, settleTree, syncDisks } from './scratch-files.js'
import { fillCommand } from './shell-quote.js'
import type { Segment } from './wal-segments.js'

const CALL_TIMEOUT_MS = 300_000

/** An archive filled by a push case, read by the get cases naming it as their source. */
export interface FilledArchive {
  readonly dir: string
  /** Why it could not be filled; its readers are then n/a. */
  readonly failure?: string
}

/** Fills one archive per source push case (untimed), with the same segments the loops restore. */
export async function fillArchives(
  ctx: RunContext,
  getCases: readonly BenchCase[],
  pushCases: readonly BenchCase[],
  segments: readonly Segment[]
): Promise<Map<string, FilledArchive>> {
  const archives = new Map<string, FilledArchive>()
  for (const sourceId of new Set(getCases.map((c) => c.source).filter((id) => id !== undefined))) {
    const source = pushCases.find((c) => c.id === sourceId)
    const dir = join(ctx.scratch, 'archives', sourceId)
    if (source === undefined) {
      archives.set(sourceId, { dir, failure: `no push case ${sourceId}` })
      continue
    }
    const missing = ctx.tools[source.tool].missing
    const notReady = missing ?? (await freshArchive(ctx, source, dir))
    const pushed = notReady === undefined ? await pushAll(ctx, source, segments, dir) : { failure: notReady }
    const failure = 'failure' in pushed ? `could not fill its archive with ${source.label}: ${pushed.failure}` : undefined
    archives.set(sourceId, failure === undefined ? { dir } : { dir, failure })
    ctx.log(`  archive for ${source.label}: ${failure ?? 'filled'}`)
  }
  return archives
}

/**
 * Restores every segment in order, one restore_command call each, the way recovery does: %p is
 * pg_wal/RECOVERYXLOG (absolute, since pgBackRest reads a relative %p against its pg1-path),
 * run from a data-directory-like cwd; each restored file must have the segment's size and is then
 * renamed into place. Returns the loop's wall-clock seconds and the largest call's peak memory.
 */
async function restoreLoop(
  ctx: RunContext,
  benchCase: BenchCase,
  archive: string,
  segments: readonly Segment[]
): Promise<{ seconds: number; peakKb: number | undefined } | { failure: string }> {
  const dataDir = freshDir(join(ctx.scratch, 'restore', benchCase.id), ctx.user)
  const walDir = join(dataDir, 'pg_wal')
  mkdirSync(walDir)
  chownTree(walDir, ctx.user)
  const target = join(walDir, 'RECOVERYXLOG')
  syncDisks()
  let peakKb: number | undefined
  const started = process.hrtime.bigint()
  for (const segment of segments) {
    const run = await measure(ctx, fillCommand(benchCase.command, { repo: archive, f: segment.name, p: target }), dataDir, CALL_TIMEOUT_MS)
    if (!run.ok) {
      return { failure: `${segment.name}: ${run.reason}` }
    }
    const size = statSync(target, { throwIfNoEntry: false })?.size
    if (size !== segment.bytes) {
      return { failure: `${segment.name}: restored ${size ?? 'no'} bytes, expected ${segment.bytes}` }
    }
    renameSync(target, join(walDir, segment.name))
    if (run.peakKb !== undefined) {
      peakKb = Math.max(peakKb ?? 0, run.peakKb)
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  await settleTree(dataDir)
  removeTree(dataDir)
  return { seconds, peakKb }
}

/** One round of the restore_command cases. */
export async function runGetRound(
  ctx: RunContext,
  results: readonly CaseResult[],
  round: number,
  segments: readonly Segment[],
  archives: ReadonlyMap<string, FilledArchive>
): Promise<void> {
  for (const result of roundOrder(results, round)) {
    const { case: benchCase } = result
    const archive = benchCase.source === undefined ? undefined : archives.get(benchCase.source)
    result.failure ??= ctx.tools[benchCase.tool].missing ?? (archive === undefined ? 'no archive to read' : archive.failure)
    if (result.failure !== undefined || archive === undefined) {
      continue
    }
    await guarded(ctx, result, async () => {
      const restored = await restoreLoop(ctx, benchCase, archive.dir, segments)
      if ('failure' in restored) {
        result.failure = restored.failure
        ctx.log(`  ${benchCase.label}: n/a (${restored.failure})`)
        return
      }
      result.seconds.push(restored.seconds)
      if (restored.peakKb !== undefined) {
        result.peakKb.push(restored.peakKb)
      }
      const peak = restored.peakKb === undefined ? '' : `, peak ${formatMb(restored.peakKb * 1024)} MB`
      ctx.log(`  ${benchCase.label}: ${formatSeconds(restored.seconds)} s for ${segments.length} segments${peak}`)
    })
  }
}
