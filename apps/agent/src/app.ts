// buildApp: the agent as a fastify instance, not listening (main.ts → serve.ts listens; tests inject).
import { join } from 'node:path'
import { BackupCatalog } from '@tidemark/backup'
import { DirectoryWalRepository } from '@tidemark/wal'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { AgentContext } from './context.js'
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
import { healthRoutes } from './routes/health.js'
import { jobRoutes } from './routes/jobs.js'
import { metricsRoutes } from './routes/metrics.js'
import { openApiRoutes } from './routes/openapi.js'
import { repositoryRoutes } from './routes/repository.js'
import { walRoutes } from './routes/wal.js'

export const INCOMING_DIR = '.tidemark-agent-incoming'
/** JSON bodies are small; WAL bodies are streamed and bounded by their own rule. */
const JSON_BODY_LIMIT = 64 * 1024

export interface AppOptions {
  /** The repository directory: WAL (wal/, tidemark-wal.json) and backups (backups/). */
  readonly repoDir: string
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
  const context: AgentContext = {
    repoDir: options.repoDir,
    repository: new DirectoryWalRepository(options.repoDir),
    catalog: new BackupCatalog(options.repoDir),
    incomingDir: join(options.repoDir, INCOMING_DIR),
    jobs: new JobRegistry(now),
    http: new HttpStats(),
    walPushes: new WalPushStats(),
    pg: options.pg,
    backupRunner: options.backupRunner,
    verifyRunner: options.verifyRunner,
    now,
  }
  app.decorate('agent', context)
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
  return app
}
