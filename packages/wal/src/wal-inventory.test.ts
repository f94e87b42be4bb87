import { describe, expect, it } from 'vitest'
import { walInventory } from './wal-inventory.js'

const MB16 = 16 * 1024 * 1024

describe('walInventory', () => {
  it('groups segments into ranges per timeline, with the gaps, across log ids', () => {
    const names = [
      '0000000100000000000000FE',
      '0000000100000000000000FF',
      '000000010000000100000000',
      '000000010000000100000003',
      '000000020000000100000003',
      '000000010000000100000001.partial',
      '00000002.history',
      '000000010000000000000002.00000028.backup',
    ]
    expect(walInventory(names, MB16)).toEqual({
      timelines: [
        {
          timeline: 1,
          ranges: [
            { first: '0000000100000000000000FE', last: '000000010000000100000000', count: 3 },
            { first: '000000010000000100000003', last: '000000010000000100000003', count: 1 },
          ],
          gaps: [{ first: '000000010000000100000001', last: '000000010000000100000002', count: 2 }],
        },
        { timeline: 2, ranges: [{ first: '000000020000000100000003', last: '000000020000000100000003', count: 1 }], gaps: [] },
      ],
      partial: ['000000010000000100000001.partial'],
      history: ['00000002.history'],
      backupHistory: ['000000010000000000000002.00000028.backup'],
    })
  })
})
