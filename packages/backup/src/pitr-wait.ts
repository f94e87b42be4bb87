// PITR step 5: after the start, wait until recovery stops — paused at the target, promoted, shut
// down, or the server gone (a target never reached is FATAL on PostgreSQL 13+) — and say where
// (LSN, time, timeline, from SQL while it runs, from its log once it is gone) and why.
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { connect, type Connection, type ConnectionParameters } from '@tidemark/wire'
import { PitrRecoveryFailedError } from './errors.js'
import type { PitrStop, PitrStopReason } from './pitr-options.js'
import { readRecoveryLog, type RecoveryLogFacts } from './pitr-server-log.js'
import { identifyTimeline, readRecoveryState, type RecoveryState } from './pitr-state.js'
import { runningPostmasterPid } from './postmaster.js'

export interface WaitRequest {
  readonly dataDir: string
  readonly logFile: string
  readonly connection: ConnectionParameters
  readonly signal?: AbortSignal | undefined
  readonly pollMs?: number
  /** How long the server may run without answering before this gives up (default 60 s). */
  readonly unreachableMs?: number
}

async function logFacts(logFile: string): Promise<RecoveryLogFacts> {
  return readRecoveryLog(await readFile(logFile, 'utf8').catch(() => ''))
}

/** Where it stopped once the server is gone: all from the log. */
function stoppedServer(facts: RecoveryLogFacts, logFile: string): PitrStop {
  const reason: PitrStopReason | undefined =
    facts.end === 'target-not-reached'
      ? 'target-not-reached'
      : facts.end === 'target-reached' && (facts.shutdownAtTarget || facts.fatal.length === 0)
        ? 'shutdown-at-target'
        : undefined
  if (reason === undefined) {
    const why = facts.fatal.at(-1) ?? 'it stopped without saying why'
    throw new PitrRecoveryFailedError(`the server stopped during recovery: ${why} (log: ${logFile})`)
  }
  return {
    reason,
    lsn: facts.redoDoneAt,
    time: facts.stopTime ?? facts.lastTransactionTime,
    timeline: undefined,
    logLine: reason === 'target-not-reached' ? facts.fatal.find((line) => line.includes('recovery target')) : facts.stoppingLine,
    running: false,
    logFile,
    end: facts.end,
  }
}

async function runningStop(state: RecoveryState, request: WaitRequest): Promise<PitrStop> {
  const facts = await logFacts(request.logFile)
  const atTarget = facts.end === 'target-reached'
  const reason: PitrStopReason = state.inRecovery ? 'paused-at-target' : atTarget ? 'promoted-at-target' : 'end-of-wal'
  const timeline = state.inRecovery ? ((await identifyTimeline(request.connection)) ?? state.timeline) : (facts.newTimeline ?? (await identifyTimeline(request.connection)) ?? state.timeline)
  return {
    reason,
    lsn: state.replayLsn ?? facts.redoDoneAt,
    time: state.replayTime ?? facts.stopTime ?? facts.lastTransactionTime,
    timeline,
    logLine: facts.stoppingLine ?? (facts.redoDoneAt ? `redo done at ${facts.redoDoneAt}` : undefined),
    running: true,
    logFile: request.logFile,
    end: facts.end,
  }
}

/** Waits until recovery stops; see the file comment. */
export async function waitForRecoveryStop(request: WaitRequest): Promise<PitrStop> {
  const pollMs = request.pollMs ?? 200
  const deadlineMs = request.unreachableMs ?? 60_000
  let connection: Connection | undefined
  let unreachableSince: number | undefined
  let lastError: unknown
  try {
    for (;;) {
      request.signal?.throwIfAborted()
      if ((await runningPostmasterPid(request.dataDir)) === undefined) {
        return stoppedServer(await logFacts(request.logFile), request.logFile)
      }
      try {
        connection ??= await connect(request.connection)
        const state = await readRecoveryState(connection)
        unreachableSince = undefined
        // Paused in recovery: at the target (pause_at_recovery_target / recovery_target_action = pause).
        if (!state.inRecovery || state.paused) {
          return await runningStop(state, request)
        }
      } catch (error) {
        lastError = error
        await connection?.close().catch(() => undefined)
        connection = undefined
        unreachableSince ??= Date.now()
        if (Date.now() - unreachableSince > deadlineMs) {
          throw new PitrRecoveryFailedError(
            `the server runs but its recovery state cannot be read: ${(lastError as Error).message}; give the connection options (user, host) or read its log ${request.logFile}`,
            { cause: lastError }
          )
        }
      }
      await sleep(pollMs, undefined, request.signal ? { signal: request.signal } : {})
    }
  } finally {
    await connection?.close().catch(() => undefined)
  }
}
