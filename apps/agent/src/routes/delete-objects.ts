// POST /v1/delete-objects { keys: [...] }: removes the keys from the agent's repository storage
// (missing ones are fine), at most MAX_OBJECTS_PAGE per request; each key passes checkKey first.
import { checkKey, MAX_OBJECTS_PAGE } from '@tidemark/storage'
import type { FastifyPluginAsync } from 'fastify'

/** A page of keys of at most 1 KiB each, with room for JSON quoting. */
const BODY_LIMIT = MAX_OBJECTS_PAGE * 2048

const BODY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['keys'],
  properties: { keys: { type: 'array', maxItems: MAX_OBJECTS_PAGE, items: { type: 'string', minLength: 1, maxLength: 1024 } } },
} as const

export const deleteObjectRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Body: { keys: string[] } }>('/v1/delete-objects', { bodyLimit: BODY_LIMIT, schema: { body: BODY_SCHEMA } }, async (request) => {
    const keys = request.body.keys.map(checkKey)
    await app.agent.objects.delete(keys)
    return { deleted: keys.length }
  })
}
