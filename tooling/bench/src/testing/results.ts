import type { BenchCase } from '../cases.js'
import type { CaseResult } from '../results.js'

/** A result with the given samples, for the report and target tests. */
export function resultOf(
  benchCase: Partial<BenchCase> & Pick<BenchCase, 'id' | 'label'>,
  seconds: number[],
  extra: { peakKb?: number[]; bytes?: number[]; failure?: string } = {}
): CaseResult {
  return {
    case: { group: 'backup', tool: 'pg_basebackup', command: 'true', ...benchCase },
    seconds,
    peakKb: extra.peakKb ?? [],
    bytes: extra.bytes ?? [],
    failure: extra.failure,
  }
}
