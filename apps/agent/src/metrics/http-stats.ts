// HTTP request counts and latencies per method, route and status, as Prometheus families.
import type { MetricFamily, MetricSample } from './prometheus-text.js'

export const LATENCY_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

interface Latency {
  readonly buckets: number[]
  sum: number
  count: number
}

export class HttpStats {
  readonly #counts = new Map<string, number>()
  readonly #latencies = new Map<string, Latency>()

  record(method: string, route: string, status: number, seconds: number): void {
    const countKey = JSON.stringify([method, route, String(status)])
    this.#counts.set(countKey, (this.#counts.get(countKey) ?? 0) + 1)
    const latencyKey = JSON.stringify([method, route])
    const latency = this.#latencies.get(latencyKey) ?? { buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 }
    LATENCY_BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) {
        latency.buckets[index] = (latency.buckets[index] ?? 0) + 1
      }
    })
    latency.sum += seconds
    latency.count += 1
    this.#latencies.set(latencyKey, latency)
  }

  families(): MetricFamily[] {
    const requests: MetricSample[] = [...this.#counts].map(([key, value]) => {
      const [method = '', route = '', status = ''] = JSON.parse(key) as string[]
      return { labels: { method, route, status }, value }
    })
    const durations: MetricSample[] = []
    for (const [key, latency] of this.#latencies) {
      const [method = '', route = ''] = JSON.parse(key) as string[]
      LATENCY_BUCKETS.forEach((bound, index) => {
        durations.push({ suffix: '_bucket', labels: { method, route, le: String(bound) }, value: latency.buckets[index] ?? 0 })
      })
      durations.push({ suffix: '_bucket', labels: { method, route, le: '+Inf' }, value: latency.count })
      durations.push({ suffix: '_sum', labels: { method, route }, value: latency.sum })
      durations.push({ suffix: '_count', labels: { method, route }, value: latency.count })
    }
    return [
      { name: 'tidemark_http_requests_total', help: 'HTTP requests served, by method, route and status', type: 'counter', samples: requests },
      { name: 'tidemark_http_request_duration_seconds', help: 'HTTP request latency', type: 'histogram', samples: durations },
    ]
  }
}
