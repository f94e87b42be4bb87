import { describe, expect, it } from 'vitest'
import { renderResults } from './report.js'
import { resultOf } from './testing/results.js'

const pgFp = resultOf({ id: 'pg-fp', label: 'pg_basebackup -Fp -N' }, [4, 2, 3], { peakKb: [8000, 9000, 8500], bytes: [500 * 1024 * 1024] })
const tmFp = resultOf(
  { id: 'tm-fp', label: 'tidemark basebackup -Fp -N', tool: 'tidemark', peer: 'pg-fp', maxRatio: 1, maxPeakMb: 150 },
  [2.7, 2.4, 3.3],
  { peakKb: [60 * 1024, 90 * 1024, 70 * 1024], bytes: [500 * 1024 * 1024] }
)

describe('renderResults', () => {
  it('prints median, min–max, peak RSS, output size and the ratio to the peer', () => {
    const table = renderResults([tmFp, pgFp])
    expect(table).toContain('### Full backup (seconds per backup), 3 rounds')
    expect(table).toContain('| tidemark basebackup -Fp -N | 2.70 | 2.40–3.30 | 90 | 500 | 0.90 | pg_basebackup -Fp -N |')
    expect(table).toContain('| pg_basebackup -Fp -N | 3.00 | 2.00–4.00 | 8.8 | 500 | — | — |')
  })

  it('lists the targets with what was measured and whether it was met', () => {
    const table = renderResults([tmFp, pgFp])
    expect(table).toContain('| tidemark basebackup -Fp -N / pg_basebackup -Fp -N ≤ 1.0 | 0.90 | yes |')
    expect(table).toContain('| peak memory of tidemark basebackup -Fp -N < 150 MB | 90 MB | yes |')
  })

  it('reports a failed case as n/a with its reason, and its targets as not measured', () => {
    const failed = resultOf({ ...tmFp.case }, [], { failure: "exit 1: error: unknown option '-D'" })
    const table = renderResults([failed, pgFp])
    expect(table).toContain("| tidemark basebackup -Fp -N | n/a (exit 1: error: unknown option '-D') | — | — | — | — | — |")
    expect(table).toContain("| tidemark basebackup -Fp -N / pg_basebackup -Fp -N ≤ 1.0 | n/a (exit 1: error: unknown option '-D') | — |")
  })

  it('says when a peer is what is missing', () => {
    const peerFailed = resultOf({ ...pgFp.case }, [], { failure: 'pg_basebackup not found' })
    expect(renderResults([tmFp, peerFailed])).toContain('≤ 1.0 | n/a (pg_basebackup not found) | — |')
  })

  it('marks a missed target', () => {
    const slow = resultOf({ ...tmFp.case }, [6, 6, 6])
    expect(renderResults([slow, pgFp])).toContain('≤ 1.0 | 2.00 | no |')
  })

  it('keeps pipes and newlines of a reason out of the table', () => {
    const failed = resultOf({ id: 'x', label: 'x' }, [], { failure: 'a | b\nc' })
    expect(renderResults([failed])).toContain('| x | n/a (a / b c) |')
  })
})
