import { GROUP_TITLES, GROUPS } from './groups.js'
import { cellText, formatMb, formatRatio, formatSeconds } from './format.js'
import { usable, type CaseResult } from './results.js'
import { summarize } from './stats.js'
import { checkTargets, ratioOf } from './targets.js'

const HEADER = '| case | median s | min–max s | peak RSS MB | output MB | ratio | vs |\n| --- | ---: | ---: | ---: | ---: | ---: | --- |'

function row(result: CaseResult, byId: ReadonlyMap<string, CaseResult>): string {
  const label = cellText(result.case.label)
  const summary = usable(result) ? summarize(result.seconds) : undefined
  if (summary === undefined) {
    return `| ${label} | n/a (${cellText(result.failure ?? 'not run')}) | — | — | — | — | — |`
  }
  const peak = result.peakKb.length > 0 ? formatMb(Math.max(...result.peakKb) * 1024) : '—'
  const size = result.bytes.length > 0 ? formatMb(Math.max(...result.bytes)) : '—'
  const ratio = ratioOf(result, byId)
  const peer = result.case.peer === undefined ? undefined : byId.get(result.case.peer)
  const ratioCell = ratio === undefined ? (peer === undefined ? '—' : 'n/a') : formatRatio(ratio)
  const vsCell = peer === undefined ? '—' : cellText(peer.case.label)
  const range = `${formatSeconds(summary.min)}–${formatSeconds(summary.max)}`
  return `| ${label} | ${formatSeconds(summary.median)} | ${range} | ${peak} | ${size} | ${ratioCell} | ${vsCell} |`
}

/** The results as markdown: one table per group, then the targets. */
export function renderResults(results: readonly CaseResult[]): string {
  const byId = new Map(results.map((result) => [result.case.id, result]))
  const parts: string[] = []
  for (const group of GROUPS) {
    const inGroup = results.filter((result) => result.case.group === group)
    if (inGroup.length === 0) {
      continue
    }
    const rounds = Math.max(0, ...inGroup.map((result) => result.seconds.length))
    parts.push(`### ${GROUP_TITLES[group]}, ${rounds} round${rounds === 1 ? '' : 's'}`)
    parts.push([HEADER, ...inGroup.map((result) => row(result, byId))].join('\n'))
  }
  const checks = checkTargets(results)
  if (checks.length > 0) {
    const lines = checks.map((check) => {
      const met = check.met === undefined ? '—' : check.met ? 'yes' : 'no'
      return `| ${cellText(check.text, 200)} | ${cellText(check.measured)} | ${met} |`
    })
    parts.push('### Targets (issue 9)')
    parts.push(['| target | measured | met |', '| --- | ---: | --- |', ...lines].join('\n'))
  }
  return `${parts.join('\n\n')}\n`
}
