// A job as the API shows it: GET /v1/jobs/:id and the SSE stream.
import type { JobProgress } from './runners.js'

export type JobKind = 'backup' | 'verify'
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed'

export interface JobView {
  readonly id: string
  readonly kind: JobKind
  readonly state: JobState
  readonly backupId: string
  readonly progress: JobProgress
  readonly createdAt: string
  readonly endedAt?: string
  readonly error?: { readonly code: string; readonly message: string }
}

export function isFinished(state: JobState): boolean {
  return state === 'succeeded' || state === 'failed'
}
