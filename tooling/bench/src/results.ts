import type { BenchCase } from './cases.js'

/** What one case measured over the rounds: one sample per round. */
export interface CaseResult {
  readonly case: BenchCase
  /** Seconds per round: per backup, per archive_command call (mean of the round), per restore loop. */
  readonly seconds: number[]
  /** Peak resident set of the round's largest process, in KiB. */
  readonly peakKb: number[]
  /** Size of what a backup case wrote, in bytes. */
  readonly bytes: number[]
  /** Set when the case could not run or failed; it is then reported as n/a with this reason. */
  failure?: string | undefined
}

export function emptyResult(benchCase: BenchCase): CaseResult {
  return { case: benchCase, seconds: [], peakKb: [], bytes: [] }
}

/** True when the case produced figures worth reporting. */
export function usable(result: CaseResult | undefined): result is CaseResult {
  return result !== undefined && result.failure === undefined && result.seconds.length > 0
}
