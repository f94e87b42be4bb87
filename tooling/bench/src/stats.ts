export interface Summary {
  readonly n: number
  readonly median: number
  readonly min: number
  readonly max: number
}

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) {
    throw new RangeError('median of no values')
  }
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const upper = sorted[mid] as number
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2
}

/** Median and range of the samples; undefined when there are none (a case that never ran). */
export function summarize(values: readonly number[]): Summary | undefined {
  if (values.length === 0) {
    return undefined
  }
  return { n: values.length, median: median(values), min: Math.min(...values), max: Math.max(...values) }
}
