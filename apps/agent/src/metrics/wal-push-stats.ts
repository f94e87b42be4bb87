// Counts of PUT /v1/wal outcomes, and when the last file was stored.
import type { MetricFamily } from './prometheus-text.js'

export type WalPushOutcome = 'stored' | 'already-archived' | 'refused' | 'failed'

export class WalPushStats {
  readonly #counts = new Map<WalPushOutcome, number>()
  #lastStored: number | undefined

  record(outcome: WalPushOutcome, at: Date): void {
    this.#counts.set(outcome, (this.#counts.get(outcome) ?? 0) + 1)
    if (outcome === 'stored') {
      this.#lastStored = at.getTime() / 1000
    }
  }

  families(): MetricFamily[] {
    return [
      {
        name: 'tidemark_wal_pushes_total',
        help: 'WAL files pushed to this agent, by outcome',
        type: 'counter',
        samples: [...this.#counts].map(([outcome, value]) => ({ labels: { outcome }, value })),
      },
      {
        name: 'tidemark_wal_last_stored_timestamp_seconds',
        help: 'Unix time of the last WAL file this agent stored',
        type: 'gauge',
        samples: this.#lastStored === undefined ? [] : [{ value: this.#lastStored }],
      },
    ]
  }
}
