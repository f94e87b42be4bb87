// What the server's log says about how recovery ended: the lines PostgreSQL (13-18) and openGauss
// write at a recovery target, at the end of WAL, on promotion and on a target never reached.

export type RecoveryEnd =
  /** "recovery stopping before/after ...": the target was reached. */
  | 'target-reached'
  /** "recovery ended before configured recovery target was reached": FATAL, the server did not start. */
  | 'target-not-reached'
  /** "requested recovery stop point is before consistent recovery point": FATAL. */
  | 'target-before-consistency'
  /** Redo ran out of WAL without a target (or before it, on servers that then promote). */
  | 'end-of-wal'
  | 'unknown'

export interface RecoveryLogFacts {
  readonly end: RecoveryEnd
  /** The "recovery stopping ..." line, as written (without the log prefix). */
  readonly stoppingLine?: string | undefined
  /** From "redo done at X/Y". */
  readonly redoDoneAt?: string | undefined
  /** From "last completed transaction was at log time ...". */
  readonly lastTransactionTime?: string | undefined
  /** From "recovery stopping ... time T". */
  readonly stopTime?: string | undefined
  /** From "selected new timeline ID: N". */
  readonly newTimeline?: number | undefined
  readonly pausedAtEnd: boolean
  readonly shutdownAtTarget: boolean
  readonly archiveRecoveryComplete: boolean
  /** The FATAL or PANIC lines, as written. */
  readonly fatal: readonly string[]
}

/** The message part of a log line: what follows "LOG:  ", "FATAL:  " and the like. */
function message(line: string): string {
  const match = /(?:LOG|FATAL|PANIC|WARNING|ERROR|DETAIL|HINT):\s+(.*)$/.exec(line)
  return (match?.[1] ?? line).trim()
}

/** Reads the facts from the log text of one start; the last occurrence of each wins. */
export function readRecoveryLog(text: string): RecoveryLogFacts {
  let stoppingLine: string | undefined
  let stopTime: string | undefined
  let redoDoneAt: string | undefined
  let lastTransactionTime: string | undefined
  let newTimeline: number | undefined
  let pausedAtEnd = false
  let shutdownAtTarget = false
  let archiveRecoveryComplete = false
  let notReached = false
  let beforeConsistency = false
  const fatal: string[] = []
  for (const line of text.split('\n')) {
    const text = message(line)
    if (/recovery stopping (before|after|at)\b/.test(text)) {
      stoppingLine = text
      stopTime = /, time (.+)$/.exec(text)?.[1]
    }
    const redo = /redo done at ([0-9A-F]+\/[0-9A-F]+)/i.exec(text)
    if (redo) {
      redoDoneAt = redo[1]
    }
    const last = /last completed transaction was at log time (.+)$/.exec(text)
    if (last) {
      lastTransactionTime = last[1]
    }
    const timeline = /selected new timeline ID: (\d+)/.exec(text)
    if (timeline) {
      newTimeline = Number(timeline[1])
    }
    pausedAtEnd ||= text.includes('pausing at the end of recovery') || text.includes('recovery has paused')
    shutdownAtTarget ||= text.includes('shutdown at recovery target')
    archiveRecoveryComplete ||= text.includes('archive recovery complete')
    notReached ||= text.includes('recovery ended before configured recovery target was reached')
    beforeConsistency ||= text.includes('requested recovery stop point is before consistent recovery point')
    if (/\b(FATAL|PANIC):/.test(line)) {
      fatal.push(text)
    }
  }
  const end: RecoveryEnd = notReached
    ? 'target-not-reached'
    : beforeConsistency
      ? 'target-before-consistency'
      : stoppingLine !== undefined
        ? 'target-reached'
        : redoDoneAt !== undefined || archiveRecoveryComplete
          ? 'end-of-wal'
          : 'unknown'
  return {
    end,
    stoppingLine,
    redoDoneAt,
    lastTransactionTime: lastTransactionTime?.trim(),
    stopTime: stopTime?.trim(),
    newTimeline,
    pausedAtEnd,
    shutdownAtTarget,
    archiveRecoveryComplete,
    fatal,
  }
}
