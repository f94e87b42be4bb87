// GET /v1/repository: the database system the WAL repository is bound to (by its first segment),
// so a remote tidemark-wal can check a segment before sending it. Never the directory path.
import type { FastifyPluginAsync } from 'fastify'

export const repositoryRoutes: FastifyPluginAsync = async (app) => {
  app.get('/v1/repository', async () => {
    const identity = await app.agent.repository.readIdentity()
    return {
      systemIdentifier: identity?.systemIdentifier ?? null,
      segmentSize: identity?.segmentSize ?? null,
      flavor: identity?.flavor ?? null,
      major: identity?.major ?? null,
    }
  })
}
