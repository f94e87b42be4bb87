// The OpenAPI 3.1 description of the agent's HTTP API (served at GET /openapi.json).
import { BACKUP_BODY_SCHEMA } from './routes/backups.js'
import { packageVersion } from './version.js'

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json }

const error = { $ref: '#/components/schemas/Error' }
const json = (schema: Json): Json => ({ 'application/json': { schema } })
const answer = (description: string, schema?: Json): Json => (schema === undefined ? { description } : { description, content: json(schema) })
const errors = {
  '400': answer('bad request (name, id or body)', error),
  '401': answer('missing or wrong bearer token', error),
}
const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string' }, description: 'a WAL file name; never a path' }
const keyParam = { name: 'key', in: 'path', required: true, schema: { type: 'string' }, description: "an object key of the repository ('a/b/c', each segment percent-encoded; no empty, . or .. segment)" }
const binary = { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } }
const OBJECT = {
  type: 'object',
  required: ['key', 'size', 'lastModified'],
  properties: { key: { type: 'string' }, size: { type: 'integer' }, lastModified: { type: 'string', format: 'date-time' } },
}
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }

const JOB = {
  type: 'object',
  required: ['id', 'kind', 'state', 'backupId', 'progress', 'createdAt'],
  properties: {
    id: { type: 'string' },
    kind: { enum: ['backup', 'verify'] },
    state: { enum: ['queued', 'running', 'succeeded', 'failed'] },
    backupId: { type: 'string' },
    progress: { type: 'object', properties: { doneBytes: { type: 'integer' }, totalBytes: { type: 'integer' } } },
    createdAt: { type: 'string', format: 'date-time' },
    endedAt: { type: 'string', format: 'date-time' },
    error: error,
  },
}

const BACKUP = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    label: { type: 'string' },
    startLsn: { type: 'string' },
    endLsn: { type: 'string' },
    timeline: { type: 'integer' },
    startTime: { type: 'string', format: 'date-time' },
    endTime: { type: 'string', format: 'date-time' },
    systemIdentifier: { type: 'string' },
    bytes: { type: 'integer' },
    flavor: { enum: ['postgresql', 'opengauss'] },
    serverMajor: { type: 'integer' },
    format: { enum: ['plain', 'tar'] },
    compression: { type: 'string' },
    verified: { type: 'boolean' },
    verifiedAt: { type: 'string', format: 'date-time' },
  },
}

const RUN = { type: 'object', properties: { first: { type: 'string' }, last: { type: 'string' }, count: { type: 'integer' } } }

export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'tidemark-agent', version: packageVersion(), description: 'Backups, the WAL archive over HTTP, and metrics of one node' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
        },
        Job: JOB,
        Backup: BACKUP,
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/healthz': { get: { summary: 'liveness', security: [], responses: { '200': answer('alive') } } },
      '/v1/backups': {
        get: { summary: 'finished backups, oldest first', responses: { '200': answer('the catalog', { type: 'array', items: { $ref: '#/components/schemas/Backup' } }), ...errors } },
        post: {
          summary: 'start a base backup of the database into the repository (one at a time)',
          requestBody: { required: false, content: json(BACKUP_BODY_SCHEMA as unknown as Json) },
          responses: {
            '202': answer('started', { type: 'object', properties: { id: { type: 'string' }, backupId: { type: 'string' } } }),
            ...errors,
            '409': answer('a backup is running', error),
            '501': answer('no --pg configured', error),
          },
        },
      },
      '/v1/backups/{id}': { get: { parameters: [idParam], responses: { '200': answer('the backup', { $ref: '#/components/schemas/Backup' }), ...errors, '404': answer('no such backup', error) } } },
      '/v1/backups/{id}/verify': {
        post: {
          summary: 'verify a backup (a job); its record gets verified: true on success',
          parameters: [idParam],
          responses: { '202': answer('started'), ...errors, '404': answer('no such backup', error), '409': answer('a verification is running', error), '501': answer('no verification engine', error) },
        },
      },
      '/v1/jobs/{id}': { get: { parameters: [idParam], responses: { '200': answer('the job', { $ref: '#/components/schemas/Job' }), ...errors, '404': answer('no such job', error) } } },
      '/v1/jobs/{id}/events': {
        get: {
          summary: 'server-sent events: `progress` (a Job) until one `end` (the Job in its final state)',
          parameters: [idParam],
          responses: { '200': { description: 'event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...errors, '404': answer('no such job', error) },
        },
      },
      '/v1/wal': {
        get: {
          summary: 'archived WAL: contiguous ranges per timeline, the gaps between them, partial, history and backup history files',
          responses: {
            '200': answer('the inventory', {
              type: 'object',
              properties: {
                systemIdentifier: { type: ['string', 'null'] },
                segmentSize: { type: ['integer', 'null'] },
                timelines: { type: 'array', items: { type: 'object', properties: { timeline: { type: 'integer' }, ranges: { type: 'array', items: RUN }, gaps: { type: 'array', items: RUN } } } },
                partial: { type: 'array', items: { type: 'string' } },
                history: { type: 'array', items: { type: 'string' } },
                backupHistory: { type: 'array', items: { type: 'string' } },
              },
            }),
            ...errors,
          },
        },
      },
      '/v1/repository': {
        get: {
          summary: 'the database system the WAL repository is bound to (nulls before the first segment)',
          responses: {
            '200': answer('the identity', {
              type: 'object',
              properties: {
                systemIdentifier: { type: ['string', 'null'] },
                segmentSize: { type: ['integer', 'null'] },
                flavor: { type: ['string', 'null'] },
                major: { type: ['integer', 'null'] },
              },
            }),
            ...errors,
          },
        },
      },
      '/v1/wal/{name}': {
        head: {
          summary: 'whether a WAL file is archived: x-tidemark-sha256 and x-tidemark-size of the original file',
          parameters: [nameParam],
          responses: { '200': answer('archived'), ...errors, '404': answer('not archived') },
        },
        get: {
          summary: 'an archived WAL file (decompressed and checked); x-tidemark-sha256 and x-tidemark-size describe it',
          parameters: [nameParam],
          responses: { '200': { description: 'the file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, ...errors, '404': answer('not archived', error) },
        },
        put: {
          summary: 'archive a WAL file (the rules of tidemark-wal push)',
          parameters: [nameParam],
          requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          responses: {
            '201': answer('stored'),
            '200': answer('identical content was already archived'),
            ...errors,
            '409': answer('different content is archived under this name, or another system or segment size', error),
            '413': answer('larger than a WAL segment', error),
            '422': answer('the content is not the named segment', error),
          },
        },
      },
      '/v1/objects': {
        get: {
          summary: "the repository's objects under a prefix, in key order, a page at a time (next: the `after` of the next page, null at the end)",
          parameters: [
            { name: 'prefix', in: 'query', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
            { name: 'after', in: 'query', schema: { type: 'string' }, description: 'list the keys after this one' },
          ],
          responses: {
            '200': answer('one page', { type: 'object', required: ['objects', 'next'], properties: { objects: { type: 'array', items: OBJECT }, next: { type: ['string', 'null'] } } }),
            ...errors,
          },
        },
      },
      '/v1/objects/{key}': {
        head: {
          summary: "an object's size (Content-Length, x-tidemark-object-size) and time (Last-Modified, x-tidemark-last-modified)",
          parameters: [keyParam],
          responses: { '200': answer('the object exists'), ...errors, '404': answer('no such object') },
        },
        get: {
          summary: 'an object, streamed; Range: bytes=START-[END] gives 206 with Content-Range',
          parameters: [keyParam, { name: 'range', in: 'header', schema: { type: 'string' } }],
          responses: {
            '200': { description: 'the object', content: binary },
            '206': { description: 'the range', content: binary },
            ...errors,
            '404': answer('no such object', error),
            '416': answer('the range starts past the end', error),
          },
        },
        put: {
          summary: 'store an object, streamed to the storage (durable when answered; an incomplete body stores nothing); If-None-Match: * refuses an existing key',
          parameters: [keyParam, { name: 'if-none-match', in: 'header', schema: { const: '*' } }],
          requestBody: { required: true, content: binary },
          responses: {
            '201': answer('stored', { type: 'object', properties: { key: { type: 'string' }, size: { type: 'integer' } } }),
            ...errors,
            '412': answer('If-None-Match: * and the key exists (left as it is)', error),
          },
        },
      },
      '/v1/delete-objects': {
        post: {
          summary: 'remove objects (missing ones are fine), at most 1000 per request',
          requestBody: { required: true, content: json({ type: 'object', required: ['keys'], properties: { keys: { type: 'array', maxItems: 1000, items: { type: 'string' } } } }) },
          responses: { '200': answer('removed', { type: 'object', properties: { deleted: { type: 'integer' } } }), ...errors },
        },
      },
      '/metrics': { get: { summary: 'Prometheus metrics (tidemark_*)', responses: { '200': { description: 'text format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } }, ...errors } } },
      '/openapi.json': { get: { summary: 'this document', responses: { '200': answer('OpenAPI 3.1'), ...errors } } },
    },
  }
}
