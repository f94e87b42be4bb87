import { describe, expect, it } from 'vitest'
import { readRecoveryLog } from './pitr-server-log.js'

const prefix = '2026-11-24 16:30:01.123 UTC [4242] '

describe('readRecoveryLog', () => {
  it('reads a target reached and paused', () => {
    const facts = readRecoveryLog(
      [
        `${prefix}LOG:  starting point-in-time recovery to "rp1"`,
        `${prefix}LOG:  restored log file "000000010000000000000004" from archive`,
        `${prefix}LOG:  recovery stopping at restore point "rp1", time 2026-11-24 16:29:58.5+00`,
        `${prefix}LOG:  pausing at the end of recovery`,
      ].join('\n')
    )
    expect(facts).toMatchObject({ end: 'target-reached', pausedAtEnd: true, stopTime: '2026-11-24 16:29:58.5+00', fatal: [] })
  })

  it('reads a commit stop, the redo end and a promotion', () => {
    const facts = readRecoveryLog(
      [
        `${prefix}LOG:  recovery stopping before commit of transaction 745, time 2026-11-24 16:29:59.1+00`,
        `${prefix}LOG:  redo done at 0/3000148 system usage: CPU: user: 0.00 s`,
        `${prefix}LOG:  last completed transaction was at log time 2026-11-24 16:29:58.9+00`,
        `${prefix}LOG:  selected new timeline ID: 2`,
        `${prefix}LOG:  archive recovery complete`,
      ].join('\n')
    )
    expect(facts).toMatchObject({ end: 'target-reached', redoDoneAt: '0/3000148', newTimeline: 2, archiveRecoveryComplete: true })
    expect(facts.stoppingLine).toBe('recovery stopping before commit of transaction 745, time 2026-11-24 16:29:59.1+00')
  })

  it('reads a target never reached (PostgreSQL 13+ FATAL)', () => {
    const facts = readRecoveryLog(
      [
        `${prefix}LOG:  redo done at 0/5000060`,
        `${prefix}FATAL:  recovery ended before configured recovery target was reached`,
        `${prefix}LOG:  startup process (PID 12) exited with exit code 1`,
      ].join('\n')
    )
    expect(facts).toMatchObject({ end: 'target-not-reached', redoDoneAt: '0/5000060', fatal: ['recovery ended before configured recovery target was reached'] })
  })

  it('reads the end of WAL without a target, and nothing from an empty log', () => {
    expect(readRecoveryLog(`${prefix}LOG:  redo done at 0/5000060\n${prefix}LOG:  archive recovery complete`).end).toBe('end-of-wal')
    expect(readRecoveryLog('').end).toBe('unknown')
  })
})
