// GET /openapi.json: the API described for clients and monitoring.
import type { FastifyPluginAsync } from 'fastify'
import { openApiDocument } from '../openapi-document.js'

export const openApiRoutes: FastifyPluginAsync = async (app) => {
  const document = openApiDocument()
  app.get('/openapi.json', async () => document)
}
