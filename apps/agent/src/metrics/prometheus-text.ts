// Prometheus text exposition format 0.0.4: families of samples, rendered with HELP and TYPE lines.

export type MetricType = 'gauge' | 'counter' | 'histogram'

export interface MetricSample {
  /** Appended to the family name: '_bucket', '_sum', '_count' for histograms, '' otherwise. */
  readonly suffix?: string
  readonly labels?: Readonly<Record<string, string>>
  readonly value: number
}

export interface MetricFamily {
  readonly name: string
  readonly help: string
  readonly type: MetricType
  readonly samples: readonly MetricSample[]
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

export function renderMetrics(families: readonly MetricFamily[]): string {
  const lines: string[] = []
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`)
    lines.push(`# TYPE ${family.name} ${family.type}`)
    for (const sample of family.samples) {
      lines.push(`${family.name}${sample.suffix ?? ''}${renderLabels(sample.labels)} ${renderValue(sample.value)}`)
    }
  }
  return `${lines.join('\n')}\n`
}

function renderLabels(labels: Readonly<Record<string, string>> | undefined): string {
  if (!labels || Object.keys(labels).length === 0) {
    return ''
  }
  const pairs = Object.entries(labels).map(
    ([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`
  )
  return `{${pairs.join(',')}}`
}

function renderValue(value: number): string {
  if (Number.isNaN(value)) {
    return 'NaN'
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? '+Inf' : '-Inf'
  }
  return String(value)
}

/** A gauge family with one unlabelled sample, or none when value is undefined. */
export function gauge(name: string, help: string, value: number | undefined): MetricFamily {
  return { name, help, type: 'gauge', samples: value === undefined ? [] : [{ value }] }
}

export function counter(name: string, help: string, value: number | undefined): MetricFamily {
  return { name, help, type: 'counter', samples: value === undefined ? [] : [{ value }] }
}
