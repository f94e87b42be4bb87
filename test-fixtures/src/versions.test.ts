import { describe, expect, it } from 'vitest'
import { testMajors } from './versions.js'

describe('testMajors', () => {
  it('runs the oldest and the newest by default', () => {
    expect(testMajors({})).toEqual([13, 18])
  })

  it('runs every major with all', () => {
    expect(testMajors({ TIDEMARK_PG_VERSIONS: 'all' })).toEqual([13, 14, 15, 16, 17, 18])
  })

  it('takes a comma list', () => {
    expect(testMajors({ TIDEMARK_PG_VERSIONS: '14, 16' })).toEqual([14, 16])
  })

  it('refuses a major it does not support', () => {
    expect(() => testMajors({ TIDEMARK_PG_VERSIONS: '12' })).toThrow(/12 is not a supported PostgreSQL major/)
  })
})
