// Counts and times every answered request by its route pattern (never the raw URL: WAL names would
// make one series per file).
import type { FastifyInstance } from 'fastify'

export function installHttpMetrics(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    app.agent.http.record(request.method, route, reply.statusCode, reply.elapsedTime / 1000)
  })
}
