import { describe, expect, it } from 'vitest'
import { TimelineHistoryError } from './errors.js'
import { parseLsn } from './lsn.js'
import { formatTimelineHistory, parseTimelineHistory, timelineOfLsn, timelineRanges } from './timeline-history.js'

const THREE = '1\t0/3000158\tno recovery target specified\n\n2\t0/5000000\tbefore 2026-11-24 10:00:00+00\n'

describe('timeline-history', () => {
  it('parses the server-written format, skipping blank lines and comments', () => {
    const entries = parseTimelineHistory(`# comment\n${THREE}   \n`, 3)
    expect(entries).toEqual([
      { timeline: 1, switchpoint: parseLsn('0/3000158'), reason: 'no recovery target specified' },
      { timeline: 2, switchpoint: parseLsn('0/5000000'), reason: 'before 2026-11-24 10:00:00+00' },
    ])
    expect(formatTimelineHistory(entries)).toBe(THREE.replace('\n\n', '\n'))
    expect(parseTimelineHistory('1\t0/3000158\r\n')).toEqual([{ timeline: 1, switchpoint: parseLsn('0/3000158'), reason: '' }])
    expect(parseTimelineHistory('')).toEqual([])
  })

  it('refuses malformed lines, unordered timelines and an ancestor not below the file', () => {
    for (const bad of ['x\t0/1\tr\n', '1\t0/1/2\tr\n', '1\n', '0\t0/1\tr\n', '2\t0/1\ta\n1\t0/2\tb\n', '1\t0/1\ta\n1\t0/2\tb\n']) {
      expect(() => parseTimelineHistory(bad), JSON.stringify(bad)).toThrow(TimelineHistoryError)
    }
    expect(() => parseTimelineHistory(THREE, 2)).toThrow(TimelineHistoryError)
  })

  it('gives every timeline its WAL range and finds the timeline of an LSN', () => {
    const ranges = timelineRanges(parseTimelineHistory(THREE), 3)
    expect(ranges).toEqual([
      { timeline: 1, begin: 0n, end: parseLsn('0/3000158') },
      { timeline: 2, begin: parseLsn('0/3000158'), end: parseLsn('0/5000000') },
      { timeline: 3, begin: parseLsn('0/5000000'), end: undefined },
    ])
    expect(timelineOfLsn(ranges, parseLsn('0/3000157'))).toBe(1)
    expect(timelineOfLsn(ranges, parseLsn('0/3000158'))).toBe(2)
    expect(timelineOfLsn(ranges, parseLsn('7/0'))).toBe(3)
    expect(timelineRanges([], 1)).toEqual([{ timeline: 1, begin: 0n, end: undefined }])
  })
})
