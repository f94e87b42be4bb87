import { describe, expect, it } from 'vitest'
import { DEFAULTS, parseArgs } from './args.js'
import { BenchUsageError } from './usage-error.js'

describe('parseArgs', () => {
  it('gives the defaults with no arguments', () => {
    expect(parseArgs([])).toEqual(DEFAULTS)
    expect(DEFAULTS).toMatchObject({ rounds: 5, scale: 30, randomMb: 200, segments: 30, groups: ['backup', 'push', 'get'] })
  })

  it('reads the smoke-run options in both spellings', () => {
    expect(parseArgs(['--rounds', '1', '--scale=1', '--random-mb', '20'])).toMatchObject({ rounds: 1, scale: 1, randomMb: 20 })
  })

  it('accepts no random bytes at all', () => {
    expect(parseArgs(['--random-mb', '0']).randomMb).toBe(0)
  })

  it('keeps the run order of groups whatever order --only lists them in', () => {
    expect(parseArgs(['--only', 'get,backup']).groups).toEqual(['backup', 'get'])
  })

  it('turns docs off with --no-docs and reads --help', () => {
    expect(parseArgs(['--no-docs', '-h'])).toMatchObject({ docs: false, help: true })
  })

  it.each([
    [['--rounds', '0']],
    [['--rounds', 'five']],
    [['--scale', '-3']],
    [['--segments', '1.5']],
    [['--only', 'restore']],
    [['--only', '']],
    [['--frobnicate']],
    [['extra']],
  ])('refuses %j as a usage error', (argv) => {
    expect(() => parseArgs(argv)).toThrow(BenchUsageError)
  })

  it('names the option in the message', () => {
    expect(() => parseArgs(['--rounds', '0'])).toThrow(/--rounds takes an integer of at least 1, not '0'/)
  })
})
