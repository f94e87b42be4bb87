// GET /metrics: Prometheus text.
import type { FastifyPluginAsync } from 'fastify'
import { collectMetrics } from '../metrics/collect-metrics.js'
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from '../metrics/prometheus-text.js'

export const metricsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/metrics', async (_request, reply) => {
    const { pg, backups, repoDir, http, walPushes, now } = app.agent
    const families = await collectMetrics({ pg, backups, repoDir, http, walPushes, now })
    return reply.type(PROMETHEUS_CONTENT_TYPE).send(renderMetrics(families))
  })
}
