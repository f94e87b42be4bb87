// The WAL archive over HTTP. PUT applies exactly tidemark-wal push's rules (pushWal of @tidemark/wal:
// name, page header, system identifier, durable, identical re-push OK, conflict refused); the body
// is received into a private file first, bounded by the repository's segment size.
import { createHash, randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { DEFAULT_SEGMENT_SIZE, fetchWalBytes, MAX_SEGMENT_SIZE, parseWalFileName, pushWal, walInventory, WalNotFoundError } from '@tidemark/wal'
import type { FastifyPluginAsync } from 'fastify'
import { isCodedError } from '../coded-error.js'
import { AgentBodyTooLargeError, AgentUsageError } from '../errors.js'
import { receiveBody } from '../wal/receive-body.js'

/** The original file's checksum and size, for clients that check what they fetched end to end. */
export const SHA256_HEADER = 'x-tidemark-sha256'
export const SIZE_HEADER = 'x-tidemark-size'

function infoHeaders(sha256: string, size: number): Record<string, string> {
  return { [SHA256_HEADER]: sha256, [SIZE_HEADER]: String(size) }
}

interface NameParams {
  readonly name: string
}

export const walRoutes: FastifyPluginAsync = async (app) => {
  // Bodies of this plugin's routes are raw streams, whatever their content type.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload))

  app.get('/', async () => {
    const { repository } = app.agent
    const identity = await repository.readIdentity()
    const inventory = walInventory(await repository.list(), identity?.segmentSize ?? DEFAULT_SEGMENT_SIZE)
    return { systemIdentifier: identity?.systemIdentifier ?? null, segmentSize: identity?.segmentSize ?? null, ...inventory }
  })

  // Declared before GET so fastify does not derive a HEAD that reads the whole file.
  app.head<{ Params: NameParams }>('/:name', async (request, reply) => {
    const { name } = request.params
    parseWalFileName(name)
    const info = await app.agent.repository.head(name)
    if (!info) {
      throw new WalNotFoundError(name)
    }
    return reply.headers(infoHeaders(info.sha256, info.size)).type('application/octet-stream').send()
  })

  app.get<{ Params: NameParams }>('/:name', async (request, reply) => {
    const { name } = request.params
    parseWalFileName(name)
    const bytes = await fetchWalBytes(app.agent.repository, name)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    return reply.headers(infoHeaders(sha256, bytes.byteLength)).type('application/octet-stream').send(bytes)
  })

  app.put<{ Params: NameParams }>('/:name', async (request, reply) => {
    const { name } = request.params
    const { repository, incomingDir, walPushes, now } = app.agent
    parseWalFileName(name)
    const limit = (await repository.readIdentity())?.segmentSize ?? MAX_SEGMENT_SIZE
    const declared = Number(request.headers['content-length'] ?? 0)
    if (declared > limit) {
      walPushes.record('refused', now())
      throw new AgentBodyTooLargeError(`${name}: ${declared} bytes is more than a WAL file can hold here (${limit} bytes)`)
    }
    if (request.body === undefined || request.body === null) {
      walPushes.record('refused', now())
      throw new AgentUsageError(`PUT ${name} has no body: send the WAL file's bytes`)
    }
    const temp = join(incomingDir, `${name}.${randomUUID()}`)
    try {
      await receiveBody(request.body as Readable, temp, limit)
      const result = await pushWal({ repository, sourcePath: temp, fileName: name })
      walPushes.record(result.outcome, now())
      return await reply.code(result.outcome === 'stored' ? 201 : 200).send(result)
    } catch (error) {
      walPushes.record(isCodedError(error) && error.exitCode !== 4 ? 'refused' : 'failed', now())
      throw error
    } finally {
      await rm(temp, { force: true })
    }
  })
}
