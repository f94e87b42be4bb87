// Backups: start one (a job), list the store's finished backups, verify one (a job).
import { checkBackupId, newBackupId } from '@tidemark/backup'
import type { FastifyPluginAsync } from 'fastify'
import { AgentNotFoundError, AgentUnavailableError, AgentUsageError } from '../errors.js'
import { backupJob } from '../jobs/backup-job.js'
import { verifyJob } from '../jobs/verify-job.js'

interface BackupBody {
  readonly label?: string
  readonly format?: 'plain' | 'tar'
  readonly compress?: string
  readonly checkpoint?: 'fast' | 'spread'
}

export const BACKUP_BODY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    label: { type: 'string', minLength: 1, maxLength: 200 },
    format: { type: 'string', enum: ['plain', 'tar'] },
    compress: { type: 'string', pattern: '^(none|((client|server)-)?(gzip|lz4|zstd)(:[0-9]{1,2})?)$' },
    checkpoint: { type: 'string', enum: ['fast', 'spread'] },
  },
} as const

interface IdParams {
  readonly id: string
}

export const backupRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', async () => app.agent.backups.list())

  app.get<{ Params: IdParams }>('/:id', async (request) => {
    const record = await app.agent.backups.read(checkBackupId(request.params.id))
    if (!record) {
      throw new AgentNotFoundError(`no backup ${request.params.id}`)
    }
    return record
  })

  const bodyless = async (request: { body: unknown }): Promise<void> => {
    request.body ??= {}
  }

  app.post<{ Body: BackupBody | undefined }>('/', { schema: { body: BACKUP_BODY_SCHEMA }, preValidation: bodyless }, async (request, reply) => {
    const { backups, jobs, backupRunner } = app.agent
    if (!backupRunner) {
      throw new AgentUnavailableError('backups need the database: start the agent with --pg CONNINFO')
    }
    const body = request.body ?? {}
    const format = body.format ?? 'tar'
    if (!backups.formats.includes(format)) {
      throw new AgentUsageError(`this agent's repository holds ${backups.formats.join(' and ')} backups only; ask for format "tar"`)
    }
    const backupId = newBackupId(app.agent.now())
    const job = jobs.start(
      'backup',
      backupId,
      backupJob(backups, backupRunner, backupId, {
        label: body.label ?? `tidemark-agent ${backupId}`,
        format,
        compress: body.compress ?? 'none',
        checkpoint: body.checkpoint ?? 'fast',
      })
    )
    return reply.code(202).header('location', `/v1/jobs/${job.id}`).send({ id: job.id, backupId })
  })

  app.post<{ Params: IdParams }>('/:id/verify', async (request, reply) => {
    const { backups, jobs, verifyRunner } = app.agent
    const record = await backups.read(checkBackupId(request.params.id))
    if (!record) {
      throw new AgentNotFoundError(`no backup ${request.params.id}`)
    }
    if (!verifyRunner) {
      throw new AgentUnavailableError('this build of the agent has no backup verification engine')
    }
    const job = jobs.start('verify', record.id, verifyJob(backups, verifyRunner, record))
    return reply.code(202).header('location', `/v1/jobs/${job.id}`).send({ id: job.id, backupId: record.id })
  })
}
