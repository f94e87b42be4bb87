// What every route reaches through `app.agent`: the repository, the backups, the jobs, the probes.
import type { Storage } from '@tidemark/storage'
import type { WalRepository } from '@tidemark/wal'
import type { BackupStore } from './backup/backup-store.js'
import type { JobRegistry } from './jobs/job-registry.js'
import type { BackupRunner, VerifyRunner } from './jobs/runners.js'
import type { HttpStats } from './metrics/http-stats.js'
import type { WalPushStats } from './metrics/wal-push-stats.js'
import type { PgProbe } from './pg/pg-probe.js'

export interface AgentContext {
  /** The repository directory, or undefined for a repository on object storage (s3://). */
  readonly repoDir: string | undefined
  /** Where the repository is (a directory or s3://bucket/prefix), for messages. */
  readonly repoLocation: string
  readonly repository: WalRepository
  /** The repository's storage as objects (the directory's PosixStorage, or the s3:// storage). */
  readonly objects: Storage
  readonly backups: BackupStore
  /** Where PUT /v1/wal bodies are received before pushWal checks and stores them. */
  readonly incomingDir: string
  readonly jobs: JobRegistry
  readonly http: HttpStats
  readonly walPushes: WalPushStats
  readonly pg: PgProbe | undefined
  readonly backupRunner: BackupRunner | undefined
  readonly verifyRunner: VerifyRunner | undefined
  readonly now: () => Date
}

declare module 'fastify' {
  interface FastifyInstance {
    agent: AgentContext
  }
}
