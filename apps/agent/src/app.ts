// buildApp: the agent as a fastify instance, not listening (main.ts → serve.ts listens; tests inject).
import { createHash } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BackupCatalog, BackupRepository } from '@tidemark/backup'
import { PosixStorage, type Storage } from '@tidemark/storage'
import { DirectoryWalRepository, StorageWalRepository, type WalRepository } from '@tidemark/wal'
import { CatalogBackupStore, RepositoryBackupStore, type BackupStore } from './backup/backup-store.js'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { AgentContext } from './context.js'
import { AgentUsageError } from './errors.js'
import { JobRegistry } from './jobs/job-registry.js'
import type { BackupRunner, VerifyRunner } from './jobs/runners.js'
import { HttpStats } from './metrics/http-stats.js'
import { WalPushStats } from './metrics/wal-push-stats.js'
import type { PgProbe } from './pg/pg-probe.js'
import { installAuth } from './plugins/auth.js'
import { installErrorHandler } from './plugins/error-handler.js'
import { installHttpMetrics } from './plugins/http-metrics.js'
import { installStartup } from './plugins/startup.js'
import { backupRoutes } from './routes/backups.js'
import { deleteObjectRoutes } from './routes/delete-objects.js'
import { healthRoutes } from './routes/health.js'
import { jobRoutes } from './routes/jobs.js'
import { metricsRoutes } from './routes/metrics.js'
import { objectRoutes } from './routes/objects.js'
import { openApiRoutes } from './routes/openapi.js'
import { repositoryRoutes } from './routes/repository.js'
import { walRoutes } from './routes/wal.js'

export const INCOMING_DIR = '.tidemark-agent-incoming'
/** JSON bodies are small; WAL bodies are streamed and bounded by their own rule. */
const JSON_BODY_LIMIT = 64 * 1024

export interface AppOptions {
  /** The repository directory: WAL (wal/, tidemark-wal.json) and backups (backups/). */
  readonly repoDir?: string | undefined
  /**
   * Instead of repoDir, a repository on object storage (s3://bucket/prefix) with the same layout:
   * WAL through StorageWalRepository, tar backups through BackupRepository. Closed with the app.
   */
  readonly storage?: Storage | undefined
  /** Where PUT /v1/wal bodies are received (default: inside repoDir; for storage, under the OS temp directory). */
  readonly incomingDir?: string | undefined
  /** Accepted bearer tokens. */
  readonly tokens: readonly string[]
  readonly logger?: FastifyServerOptions['logger']
  readonly https?: { readonly cert: Buffer; readonly key: Buffer }
  readonly pg?: PgProbe | undefined
  readonly backupRunner?: BackupRunner | undefined
  readonly verifyRunner?: VerifyRunner | undefined
  readonly now?: () => Date
}

/** Pino options for the agent's logs: never the Authorization header. */
export const LOG_REDACT: readonly string[] = ['req.headers.authorization', 'headers.authorization']

export function buildApp(options: AppOptions): FastifyInstance {
  const now = options.now ?? ((): Date => new Date())
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: JSON_BODY_LIMIT,
    return503OnClosing: true,
    // Unknown body properties are refused, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
    ...(options.https ? { https: { cert: options.https.cert, key: options.https.key } } : {}),
  }) as unknown as FastifyInstance
  const place = repositoryPlace(options)
  const context: AgentContext = {
    ...place,
    jobs: new JobRegistry(now),
    http: new HttpStats(),
    walPushes: new WalPushStats(),
    pg: options.pg,
    backupRunner: options.backupRunner,
    verifyRunner: options.verifyRunner,
    now,
  }
  app.decorate('agent', context)
  const storage = options.storage
  if (storage) {
    app.addHook('onClose', async () => {
      await storage.close()
      // The incoming directory under the OS temporary directory is the agent's own: it goes too.
      if (options.incomingDir === undefined) {
        await rm(context.incomingDir, { recursive: true, force: true })
      }
    })
  }
  installErrorHandler(app)
  installHttpMetrics(app)
  installAuth(app, options.tokens)
  installStartup(app)
  void app.register(healthRoutes)
  void app.register(metricsRoutes)
  void app.register(openApiRoutes)
  void app.register(repositoryRoutes)
  void app.register(walRoutes, { prefix: '/v1/wal' })
  void app.register(backupRoutes, { prefix: '/v1/backups' })
  void app.register(jobRoutes, { prefix: '/v1/jobs' })
  void app.register(objectRoutes, { prefix: '/v1/objects' })
  void app.register(deleteObjectRoutes)
  return app
}

type RepositoryPlace = Pick<AgentContext, 'repoDir' | 'repoLocation' | 'repository' | 'objects' | 'backups' | 'incomingDir'>

/** The WAL repository, the backups and the incoming directory of a directory or a storage repository. */
function repositoryPlace(options: AppOptions): RepositoryPlace {
  const { repoDir, storage } = options
  if (storage && repoDir === undefined) {
    // A private directory per repository, so two agents on one host never share one.
    const tag = createHash('sha256').update(storage.url).digest('hex').slice(0, 12)
    const backups: BackupStore = new RepositoryBackupStore(new BackupRepository(storage))
    const repository: WalRepository = new StorageWalRepository(storage)
    return {
      repoDir: undefined,
      repoLocation: storage.url,
      repository,
      objects: storage,
      backups,
      incomingDir: options.incomingDir ?? join(tmpdir(), `tidemark-agent-${tag}-incoming`),
    }
  }
  if (repoDir === undefined || storage) {
    throw new AgentUsageError('the agent needs exactly one repository: a directory or object storage')
  }
  return {
    repoDir,
    repoLocation: repoDir,
    repository: new DirectoryWalRepository(repoDir),
    objects: new PosixStorage(repoDir),
    backups: new CatalogBackupStore(new BackupCatalog(repoDir)),
    incomingDir: options.incomingDir ?? join(repoDir, INCOMING_DIR),
  }
}
