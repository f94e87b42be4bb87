// The agent's repository as plain objects (docs/agent.md, "Repository objects"), so a remote tidemark
// uses it as its --repo through HttpStorage of @tidemark/storage: streamed PUT (If-None-Match: *
// is create-only), GET with one byte range, HEAD, and paged listing in key order. Keys pass
// checkKey (no traversal, no driver-reserved names); the storage is the one the agent opened.
import {
  checkKey,
  checkPrefix,
  LAST_MODIFIED_HEADER,
  MAX_OBJECTS_PAGE,
  OBJECT_SIZE_HEADER,
  parseRangeHeader,
  StorageExistsError,
  StorageNotFoundError,
  StorageUsageError,
  type ObjectsPage,
  type Storage,
} from '@tidemark/storage'
import type { Readable } from 'node:stream'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'

interface KeyParams {
  readonly '*': string
}

interface ListQuery {
  readonly prefix?: string
  readonly limit?: string
  readonly after?: string
}

const LIST_QUERY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    prefix: { type: 'string', maxLength: 1024 },
    limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
    after: { type: 'string', maxLength: 1024 },
  },
} as const

export const objectRoutes: FastifyPluginAsync = async (app) => {
  // PUT bodies are raw streams, whatever their content type, handed to the storage as they arrive.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload))

  app.get<{ Querystring: ListQuery }>('/', { schema: { querystring: LIST_QUERY_SCHEMA } }, async (request) => {
    const prefix = checkPrefix(request.query.prefix ?? '')
    const limit = Math.min(MAX_OBJECTS_PAGE, Math.max(1, Number(request.query.limit ?? MAX_OBJECTS_PAGE)))
    return listPage(app.agent.objects, prefix, limit, request.query.after)
  })

  // Declared before GET so fastify does not derive a HEAD that opens the object.
  app.head<{ Params: KeyParams }>('/*', async (request, reply) => {
    const key = keyOf(request)
    const info = await app.agent.objects.head(key)
    if (!info) {
      return reply.code(404).send()
    }
    return reply
      .headers({
        'content-length': String(info.size),
        'last-modified': info.lastModified.toUTCString(),
        [LAST_MODIFIED_HEADER]: info.lastModified.toISOString(),
        [OBJECT_SIZE_HEADER]: String(info.size),
      })
      .type('application/octet-stream')
      .send()
  })

  app.get<{ Params: KeyParams }>('/*', async (request, reply) => {
    const key = keyOf(request)
    const range = parseRangeHeader(request.headers.range)
    const { objects } = app.agent
    const info = await objects.head(key)
    if (!info) {
      throw new StorageNotFoundError(`${key} not found`)
    }
    const headers: Record<string, string> = {
      'accept-ranges': 'bytes',
      'last-modified': info.lastModified.toUTCString(),
      [LAST_MODIFIED_HEADER]: info.lastModified.toISOString(),
      [OBJECT_SIZE_HEADER]: String(info.size),
    }
    if (!range) {
      const stream = await objects.get(key)
      return reply.headers({ ...headers, 'content-length': String(info.size) }).type('application/octet-stream').send(stream)
    }
    const end = Math.min(range.end ?? info.size - 1, info.size - 1)
    if (range.start > end) {
      return reply
        .code(416)
        .header('content-range', `bytes */${info.size}`)
        .send({ error: { code: 'TIDEMARK_ERR_STORAGE_USAGE', message: `${key}: the range starts at ${range.start}, the object has ${info.size} bytes` } })
    }
    const stream = await objects.get(key, { range: { start: range.start, end } })
    return reply
      .code(206)
      .headers({ ...headers, 'content-length': String(end - range.start + 1), 'content-range': `bytes ${range.start}-${end}/${info.size}` })
      .type('application/octet-stream')
      .send(stream)
  })

  app.put<{ Params: KeyParams }>('/*', async (request, reply) => {
    const key = keyOf(request)
    const createOnly = request.headers['if-none-match'] !== undefined
    if (createOnly && request.headers['if-none-match'] !== '*') {
      throw new StorageUsageError('If-None-Match: only * (create-only) is supported')
    }
    const { objects } = app.agent
    // Refused before a single byte is read; the driver's create-only put still settles races.
    if (createOnly && (await objects.head(key))) {
      return reply.code(412).send({ error: { code: 'TIDEMARK_ERR_STORAGE_EXISTS', message: `${key} exists already; it was left as it is` } })
    }
    const size = declaredSize(request)
    const body = (request.body as Readable | undefined) ?? new Uint8Array(0)
    // A client gone mid-body ends the body stream with an error: the driver removes what it began.
    const aborted = new AbortController()
    const onClose = (): void => {
      if (!request.raw.complete) {
        aborted.abort(new StorageUsageError(`${key}: the client went away before the whole body arrived; nothing was stored`))
      }
    }
    request.raw.on('close', onClose)
    try {
      const stored = await objects.put(key, body, { createOnly, signal: aborted.signal, ...(size !== undefined ? { size } : {}) })
      return await reply.code(201).send(stored)
    } catch (error) {
      if (error instanceof StorageExistsError) {
        return reply.code(412).send({ error: { code: error.code, message: error.message } })
      }
      throw error
    } finally {
      request.raw.off('close', onClose)
    }
  })
}

/** The key of the URL (fastify has decoded it), checked: relative, no empty, . or .. segment. */
function keyOf(request: FastifyRequest<{ Params: KeyParams }>): string {
  return checkKey(request.params['*'])
}

function declaredSize(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length']
  if (header === undefined) {
    return undefined
  }
  if (!/^\d{1,15}$/.test(header)) {
    throw new StorageUsageError(`Content-Length ${JSON.stringify(header.slice(0, 20))} is not a size`)
  }
  return Number(header)
}

/** Up to `limit` keys after `after`, in key order, and where the next page starts. */
async function listPage(
  storage: Storage,
  prefix: string,
  limit: number,
  after: string | undefined
): Promise<ObjectsPage> {
  const objects: { key: string; size: number; lastModified: string }[] = []
  // One more than a page tells whether another page follows.
  // The storage resumes after `after` itself (S3's StartAfter): a page never rescans the keys before it.
  for await (const info of storage.list(prefix, { pageSize: Math.min(MAX_OBJECTS_PAGE, limit + 1), ...(after !== undefined ? { startAfter: after } : {}) })) {
    if (objects.length === limit) {
      return { objects, next: objects[objects.length - 1]?.key ?? null }
    }
    objects.push({ key: info.key, size: info.size, lastModified: info.lastModified.toISOString() })
  }
  return { objects, next: null }
}
