import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { roundOrder } from './cases.js'
import { formatMb, formatSeconds } from './format.js'
import { guarded, measure } from './measure.js'
import type { CaseResult } from './results.js'
import type { RunContext } from './run-context.js'
import { freshDir, removeTree, syncDisks, treeBytes } from './scratch-files.js'
import { fillCommand } from './shell-quote.js'

const BACKUP_TIMEOUT_MS = 2 * 3_600_000

/** One round of the full-backup cases, in this round's order; each writes into a fresh directory, removed afterwards. */
export async function runBackupRound(ctx: RunContext, results: readonly CaseResult[], round: number): Promise<void> {
  const outRoot = join(ctx.scratch, 'backups')
  freshDir(outRoot, ctx.user)
  const pgbackrestBackups = join(ctx.pgbackrestRepo, 'backup', 'bench')
  for (const result of roundOrder(results, round)) {
    const { case: benchCase } = result
    result.failure ??= ctx.tools[benchCase.tool].missing
    if (result.failure !== undefined) {
      continue
    }
    await guarded(ctx, result, async () => {
      const out = join(outRoot, benchCase.id)
      rmSync(out, { recursive: true, force: true })
      const isPgbackrest = benchCase.tool === 'pgbackrest'
      const before = isPgbackrest ? treeBytes(pgbackrestBackups) : 0
      syncDisks()
      const run = await measure(ctx, fillCommand(benchCase.command, { out }), outRoot, BACKUP_TIMEOUT_MS)
      if (!run.ok) {
        result.failure = run.reason
        ctx.log(`  ${benchCase.label}: n/a (${run.reason})`)
      } else {
        const bytes = isPgbackrest ? treeBytes(pgbackrestBackups) - before : treeBytes(out)
        result.seconds.push(run.seconds)
        if (run.peakKb !== undefined) {
          result.peakKb.push(run.peakKb)
        }
        result.bytes.push(bytes)
        const peak = run.peakKb === undefined ? '' : `, peak ${formatMb(run.peakKb * 1024)} MB`
        ctx.log(`  ${benchCase.label}: ${formatSeconds(run.seconds)} s, ${formatMb(bytes)} MB${peak}`)
      }
      removeTree(out)
      syncDisks()
    })
  }
}
