// GET /healthz: liveness, without authentication and without touching the database.
import type { FastifyPluginAsync } from 'fastify'
import { packageVersion } from '../version.js'

export const healthRoutes: FastifyPluginAsync = async (app) => {
  const version = packageVersion()
  app.get('/healthz', async () => ({ status: 'ok', version }))
}
