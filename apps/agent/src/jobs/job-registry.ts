// Jobs in memory: one running job per kind (a second gets AgentBusyError), progress and end events
// for SSE listeners, and shutdown that aborts what runs and waits for its cleanup.
import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { isCodedError, oneLine } from '../coded-error.js'
import { AgentBusyError, AgentInternalError, AgentShuttingDownError } from '../errors.js'
import { isFinished, type JobKind, type JobView } from './job.js'
import type { JobProgress } from './runners.js'

/** The work of a job: gets an abort signal and a progress callback. */
export type JobWork = (signal: AbortSignal, onProgress: (progress: JobProgress) => void) => Promise<void>

export type JobEvent = { readonly type: 'progress' | 'end'; readonly job: JobView }

const KEEP_FINISHED = 100
const PROGRESS_INTERVAL_MS = 250

interface Entry {
  view: JobView
  readonly controller: AbortController
  done: Promise<void>
  lastProgressAt: number
}

export class JobRegistry {
  readonly #jobs = new Map<string, Entry>()
  readonly #events = new EventEmitter()
  readonly #now: () => Date
  #closing = false

  constructor(now: () => Date = () => new Date()) {
    this.#now = now
    this.#events.setMaxListeners(0)
  }

  /** The running (or queued) job of a kind, if any. */
  active(kind: JobKind): JobView | undefined {
    return [...this.#jobs.values()].find((entry) => entry.view.kind === kind && !isFinished(entry.view.state))?.view
  }

  get(id: string): JobView | undefined {
    return this.#jobs.get(id)?.view
  }

  /** Starts work as a new job of kind; throws AgentBusyError while one of that kind runs. */
  start(kind: JobKind, backupId: string, work: JobWork): JobView {
    if (this.#closing) {
      throw new AgentShuttingDownError('the agent is shutting down; try again on its next start')
    }
    const running = this.active(kind)
    if (running) {
      throw new AgentBusyError(`a ${kind} job (${running.id}) is running; one at a time — wait for it to end`)
    }
    const entry: Entry = {
      view: { id: randomUUID(), kind, state: 'queued', backupId, progress: { doneBytes: 0, totalBytes: 0 }, createdAt: this.#now().toISOString() },
      controller: new AbortController(),
      done: Promise.resolve(),
      lastProgressAt: 0,
    }
    this.#jobs.set(entry.view.id, entry)
    this.#prune()
    entry.done = this.#run(entry, work)
    return entry.view
  }

  /** Calls listener with each event of job id until (and including) its end; returns the unsubscribe. */
  subscribe(id: string, listener: (event: JobEvent) => void): () => void {
    const handler = (event: JobEvent): void => {
      if (event.job.id === id) {
        listener(event)
      }
    }
    this.#events.on('job', handler)
    return () => this.#events.off('job', handler)
  }

  /** Refuses new jobs, aborts the running ones and waits until each has cleaned up. */
  async shutdown(): Promise<void> {
    this.#closing = true
    const running = [...this.#jobs.values()].filter((entry) => !isFinished(entry.view.state))
    for (const entry of running) {
      entry.controller.abort(new AgentShuttingDownError('the agent is shutting down'))
    }
    await Promise.all(running.map((entry) => entry.done))
  }

  async #run(entry: Entry, work: JobWork): Promise<void> {
    await Promise.resolve()
    this.#update(entry, { state: 'running' }, 'progress')
    try {
      await work(entry.controller.signal, (progress) => {
        entry.view = { ...entry.view, progress }
        const now = Date.now()
        if (now - entry.lastProgressAt >= PROGRESS_INTERVAL_MS) {
          entry.lastProgressAt = now
          this.#emit('progress', entry.view)
        }
      })
      this.#update(entry, { state: 'succeeded', endedAt: this.#now().toISOString() }, 'end')
    } catch (error) {
      const coded = isCodedError(error) ? error : new AgentInternalError(`job failed unexpectedly: ${String(error)}`)
      const reason = entry.controller.signal.aborted ? 'aborted: the agent is shutting down; ' : ''
      this.#update(
        entry,
        { state: 'failed', endedAt: this.#now().toISOString(), error: { code: coded.code, message: oneLine(reason + coded.message) } },
        'end'
      )
    }
  }

  #update(entry: Entry, change: Partial<JobView>, type: JobEvent['type']): void {
    entry.view = { ...entry.view, ...change }
    this.#emit(type, entry.view)
  }

  #emit(type: JobEvent['type'], job: JobView): void {
    this.#events.emit('job', { type, job } satisfies JobEvent)
  }

  #prune(): void {
    const finished = [...this.#jobs.values()].filter((entry) => isFinished(entry.view.state))
    for (const entry of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) {
      this.#jobs.delete(entry.view.id)
    }
  }
}
