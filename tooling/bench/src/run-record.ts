import type { BenchOptions } from './args.js'
import type { MachineInfo } from './machine.js'
import type { CaseResult } from './results.js'
import type { Toolbox } from './tools.js'

/** Everything one `npm run bench` measured: what the JSON file holds and docs/benchmarks.md shows. */
export interface RunRecord {
  readonly startedAt: string
  readonly finishedAt: string
  readonly options: BenchOptions
  readonly machine: MachineInfo
  readonly tools: Toolbox
  readonly server: string
  /** Size of the databases the backups copy, in bytes. */
  readonly databaseBytes: number
  readonly segments: number
  readonly results: readonly CaseResult[]
}

/** The record as JSON: every sample kept, case definitions included. */
export function recordJson(record: RunRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`
}

/** bench-results/<timestamp>.json: a file name that sorts by time and is valid everywhere. */
export function recordFileName(startedAt: string): string {
  return `${startedAt.replace(/[:.]/g, '-')}.json`
}
