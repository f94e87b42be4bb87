import { describe, expect, it } from 'vitest'
import { splitTimeOutput } from './timed-command.js'

describe('splitTimeOutput', () => {
  it('takes the peak out of GNU time’s output and drops its exit-status line', () => {
    const stderr = "error: unknown option '-D'\nCommand exited with non-zero status 1\ntidemark-bench-maxrss-kb=53212\n"
    expect(splitTimeOutput(stderr)).toEqual({ peakKb: 53212, rest: "error: unknown option '-D'\n" })
  })

  it('has no peak when time did not run', () => {
    expect(splitTimeOutput('boom').peakKb).toBeUndefined()
  })
})
