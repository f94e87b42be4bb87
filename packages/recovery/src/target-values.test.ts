import { describe, expect, it } from 'vitest'
import { RecoveryNameError, RecoveryTimelineError, RecoveryValueError, RecoveryXidError } from './errors.js'
import {
  checkTargetName,
  checkTargetXid,
  parseBooleanSetting,
  parseTargetAction,
  parseTargetTimeline,
} from './target-values.js'

describe('checkTargetName', () => {
  it('accepts up to 63 bytes, counting UTF-8 bytes', () => {
    expect(checkTargetName('before-upgrade')).toBe('before-upgrade')
    expect(checkTargetName('a'.repeat(63))).toBe('a'.repeat(63))
    expect(checkTargetName('é'.repeat(31))).toBe('é'.repeat(31))
  })

  it('refuses 64 bytes and more, empty names and control characters', () => {
    expect(() => checkTargetName('a'.repeat(64))).toThrow(/64 bytes long; restore point names have at most 63 bytes/)
    expect(() => checkTargetName('é'.repeat(32))).toThrow(RecoveryNameError)
    expect(() => checkTargetName('')).toThrow(/empty/)
    expect(() => checkTargetName('a\nb')).toThrow(/control character/)
  })
})

describe('checkTargetXid', () => {
  it('accepts positive integers up to 64 bits and normalizes them', () => {
    expect(checkTargetXid('1')).toBe('1')
    expect(checkTargetXid(' 00745 ')).toBe('745')
    expect(checkTargetXid('18446744073709551615')).toBe('18446744073709551615')
  })

  it.each(['0', '-1', '1.5', '1e3', 'abc', '', '0x10', '18446744073709551616'])('refuses %j', (text) => {
    expect(() => checkTargetXid(text)).toThrow(RecoveryXidError)
  })
})

describe('parseTargetTimeline', () => {
  it('reads latest, current and numbers', () => {
    expect(parseTargetTimeline('latest')).toBe('latest')
    expect(parseTargetTimeline('CURRENT')).toBe('current')
    expect(parseTargetTimeline('3')).toBe(3)
    expect(parseTargetTimeline(7)).toBe(7)
  })

  it.each(['0', '-1', 'newest', '1.5', '', '4294967296'])('refuses %j', (text) => {
    expect(() => parseTargetTimeline(text)).toThrow(RecoveryTimelineError)
  })
})

describe('parseTargetAction and parseBooleanSetting', () => {
  it('read the known words', () => {
    expect(parseTargetAction('Promote')).toBe('promote')
    expect(parseBooleanSetting('x', 'on')).toBe(true)
    expect(parseBooleanSetting('x', 'FALSE')).toBe(false)
    expect(parseBooleanSetting('x', false)).toBe(false)
  })

  it('refuse others', () => {
    expect(() => parseTargetAction('stop')).toThrow(RecoveryValueError)
    expect(() => parseBooleanSetting('recovery target inclusive', 'maybe')).toThrow(
      /recovery target inclusive "maybe" is not a boolean/
    )
  })
})
