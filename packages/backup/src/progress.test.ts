import { describe, expect, it } from 'vitest'
import { formatProgressBar, formatProgressLine, ProgressReporter } from './progress.js'

describe('formatProgressLine', () => {
  it('pads the done figure to the width of the total, as pg_basebackup does', () => {
    expect(formatProgressLine({ doneBytes: 2048, totalBytes: 1024 * 12345, tablespaceNumber: 0, tablespaceCount: 1 })).toBe(
      '    2/12345 kB (0%), 0/1 tablespace'
    )
  })

  it('uses the plural and never passes 100%', () => {
    expect(formatProgressLine({ doneBytes: 4096, totalBytes: 2048, tablespaceNumber: 2, tablespaceCount: 2 })).toBe(
      '4/4 kB (100%), 2/2 tablespaces'
    )
  })

  it('shows the file in verbose mode, truncated at the front when long', () => {
    const state = { doneBytes: 0, totalBytes: 1024, tablespaceNumber: 0, tablespaceCount: 1 }
    expect(formatProgressLine({ ...state, filename: 'base/1/1259' }, true)).toBe(
      `0/1 kB (0%), 0/1 tablespace (${'base/1/1259'.padEnd(35)})`
    )
    const long = `base/${'x'.repeat(50)}`
    expect(formatProgressLine({ ...state, filename: long }, true)).toBe(`0/1 kB (0%), 0/1 tablespace (...${long.slice(-32)})`)
  })
})

describe('formatProgressBar', () => {
  it('shows percent, rate and ETA', () => {
    const line = formatProgressBar({ doneBytes: 50 * 1048576, totalBytes: 100 * 1048576, tablespaceNumber: 1, tablespaceCount: 2 }, 5, 10)
    expect(line).toBe('[====>     ]  50%  51200/102400 kB  1/2 tablespaces  10.0 MB/s  ETA 0:05')
  })

  it('copes with an unknown total', () => {
    expect(formatProgressBar({ doneBytes: 1024, totalBytes: 0, tablespaceNumber: 0, tablespaceCount: 1 }, 1, 4)).toBe(
      '[    ]    ?%  1/? kB  0/1 tablespace  1 kB/s  ETA --:--'
    )
  })
})

describe('ProgressReporter', () => {
  it('prints at most once a second on a non-terminal, then the final line', () => {
    let clock = 0
    const out: string[] = []
    const reporter = new ProgressReporter({ write: (text: string) => out.push(text), isTTY: false }, { now: () => clock })
    const state = { doneBytes: 1024, totalBytes: 4096, tablespaceNumber: 0, tablespaceCount: 1 }
    reporter.update(state)
    clock = 500
    reporter.update({ ...state, doneBytes: 2048 })
    clock = 1500
    reporter.update({ ...state, doneBytes: 3072 })
    reporter.finish({ ...state, doneBytes: 4096, tablespaceNumber: 1 })
    expect(out).toEqual(['1/4 kB (25%), 0/1 tablespace\n', '3/4 kB (75%), 0/1 tablespace\n', '4/4 kB (100%), 1/1 tablespace\n'])
  })

  it('rewrites one line on a terminal', () => {
    const out: string[] = []
    const reporter = new ProgressReporter({ write: (text: string) => out.push(text), isTTY: true }, { now: () => 0 })
    reporter.update({ doneBytes: 0, totalBytes: 1024, tablespaceNumber: 0, tablespaceCount: 1 })
    reporter.finish({ doneBytes: 1024, totalBytes: 1024, tablespaceNumber: 1, tablespaceCount: 1 })
    expect(out[0]?.startsWith('\r[')).toBe(true)
    expect(out.at(-1)).toBe('\n')
  })
})
