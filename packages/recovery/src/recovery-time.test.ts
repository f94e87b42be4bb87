import { describe, expect, it } from 'vitest'
import { RecoveryTimeError } from './errors.js'
import { parseRecoveryTime } from './recovery-time.js'

describe('parseRecoveryTime', () => {
  it('keeps an explicit offset and says no zone was assumed', () => {
    const time = parseRecoveryTime('2026-01-02 03:04:05+02', 'Europe/Berlin')
    expect(time).toEqual({ text: '2026-01-02 03:04:05+02', instant: new Date('2026-01-02T01:04:05Z'), zone: '+02' })
    expect(parseRecoveryTime('2026-01-02T03:04:05Z').text).toBe('2026-01-02 03:04:05+00')
    expect(parseRecoveryTime('2026-01-02 03:04:05 -0530').text).toBe('2026-01-02 03:04:05-05:30')
    expect(parseRecoveryTime('2026-01-02 03:04:05+05:45').instant.toISOString()).toBe('2026-01-01T21:19:05.000Z')
  })

  it('reads a time without a zone in the server zone and reports the zone it assumed', () => {
    const winter = parseRecoveryTime('2026-01-15 12:00:00', 'Europe/Berlin')
    expect(winter.text).toBe('2026-01-15 12:00:00+01')
    expect(winter.assumedTimeZone).toBe('Europe/Berlin')
    expect(winter.instant.toISOString()).toBe('2026-01-15T11:00:00.000Z')
    const summer = parseRecoveryTime('2026-07-15 12:00', 'Europe/Berlin')
    expect(summer.text).toBe('2026-07-15 12:00:00+02')
    expect(parseRecoveryTime('2026-07-15 12:00:00', 'UTC').text).toBe('2026-07-15 12:00:00+00')
    expect(parseRecoveryTime('2026-07-15 12:00:00', 'Asia/Kolkata').text).toBe('2026-07-15 12:00:00+05:30')
  })

  it('takes a zone name written in the time itself over the server zone', () => {
    const time = parseRecoveryTime('2026-07-15 12:00:00 America/New_York', 'UTC')
    expect(time.text).toBe('2026-07-15 12:00:00-04')
    expect(time.assumedTimeZone).toBeUndefined()
    expect(time.zone).toBe('America/New_York')
  })

  it('reads wall times at daylight-saving changes as PostgreSQL does', () => {
    // Skipped hour: the offset before the change (PostgreSQL shows it as 03:30-04, the same instant).
    expect(parseRecoveryTime('2018-03-11 02:30:00', 'America/New_York').instant.toISOString()).toBe('2018-03-11T07:30:00.000Z')
    // Repeated hour: the later, standard-time reading.
    expect(parseRecoveryTime('2018-11-04 01:30:00', 'America/New_York').text).toBe('2018-11-04 01:30:00-05')
  })

  it('keeps microseconds exactly', () => {
    const time = parseRecoveryTime('2026-03-01 00:00:00.123456', 'UTC')
    expect(time.text).toBe('2026-03-01 00:00:00.123456+00')
    expect(time.instant.toISOString()).toBe('2026-03-01T00:00:00.123Z')
  })

  it('reads its own output back to the same text', () => {
    const first = parseRecoveryTime('2026-10-25 01:30:00.5', 'Europe/London')
    expect(parseRecoveryTime(first.text).text).toBe(first.text)
  })

  it('refuses a time without a zone when the server zone is unknown', () => {
    expect(() => parseRecoveryTime('2026-01-02 03:04:05')).toThrow(/no time zone/)
  })

  it.each([
    'yesterday',
    'now',
    '2026-13-01 00:00:00',
    '2026-02-30 00:00:00',
    '2026-01-01 24:00:00',
    '2026-01-01 23:60:00',
    '2026-01-01',
    '2026/01/01 00:00:00',
    '2026-01-01 00:00:00+2',
    '2026-01-01 00:00:00.1234567+00',
  ])('refuses %j with TIDEMARK_ERR_RECOVERY_TIME_INVALID', (text) => {
    expect(() => parseRecoveryTime(text, 'UTC')).toThrow(RecoveryTimeError)
  })

  it('refuses an unknown zone and names it', () => {
    expect(() => parseRecoveryTime('2026-01-01 00:00:00', 'Mars/Olympus')).toThrow(/"Mars\/Olympus" is unknown/)
    expect(() => parseRecoveryTime('2026-01-01 00:00:00 Nowhere/City', 'UTC')).toThrow(RecoveryTimeError)
  })
})
