import { formatMb, formatRatio } from './format.js'
import { usable, type CaseResult } from './results.js'
import { median } from './stats.js'

export interface TargetCheck {
  readonly text: string
  /** The measured figure, or n/a with the reason. */
  readonly measured: string
  /** undefined when it could not be measured. */
  readonly met: boolean | undefined
}

/** median(case) / median(peer), when both ran. */
export function ratioOf(result: CaseResult, byId: ReadonlyMap<string, CaseResult>): number | undefined {
  const peerId = result.case.peer
  const peer = peerId === undefined ? undefined : byId.get(peerId)
  if (!usable(result) || !usable(peer)) {
    return undefined
  }
  return median(result.seconds) / median(peer.seconds)
}

function notMeasured(result: CaseResult | undefined): string {
  return `n/a (${result?.failure ?? 'not run'})`
}

/** The targets, each checked against this run's medians. */
export function checkTargets(results: readonly CaseResult[]): TargetCheck[] {
  const byId = new Map(results.map((result) => [result.case.id, result]))
  const checks: TargetCheck[] = []
  for (const result of results) {
    const { maxRatio, peer, maxPeakMb, label } = result.case
    if (maxRatio !== undefined && peer !== undefined) {
      const peerResult = byId.get(peer)
      const ratio = ratioOf(result, byId)
      const text = `${label} / ${peerResult?.case.label ?? peer} ≤ ${maxRatio.toFixed(1)}`
      checks.push(
        ratio === undefined
          ? { text, measured: notMeasured(usable(result) ? peerResult : result), met: undefined }
          : { text, measured: formatRatio(ratio), met: ratio <= maxRatio }
      )
    }
    if (maxPeakMb !== undefined) {
      const text = `peak memory of ${label} < ${maxPeakMb} MB`
      if (!usable(result) || result.peakKb.length === 0) {
        checks.push({ text, measured: notMeasured(result), met: undefined })
      } else {
        const peakKb = Math.max(...result.peakKb)
        checks.push({ text, measured: `${formatMb(peakKb * 1024)} MB`, met: peakKb / 1024 < maxPeakMb })
      }
    }
  }
  return checks
}
