// Bearer tokens on every route but GET /healthz, compared in constant time: both sides are hashed
// to equal-length digests and every configured token is compared, whichever matches.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AgentUnauthorizedError } from '../errors.js'

const PUBLIC_ROUTES = new Set(['/healthz'])

export function installAuth(app: FastifyInstance, tokens: readonly string[]): void {
  const digests = tokens.map(digest)
  app.addHook('onRequest', async (request) => {
    if (isPublic(request)) {
      return
    }
    const presented = bearerToken(request.headers.authorization)
    if (presented === undefined || !matchesAny(digest(presented), digests)) {
      throw new AgentUnauthorizedError('missing or wrong bearer token (Authorization: Bearer <token>)')
    }
  })
}

function isPublic(request: FastifyRequest): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && PUBLIC_ROUTES.has(request.routeOptions.url ?? '')
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '')
  return match?.[1]
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

function matchesAny(presented: Buffer, digests: readonly Buffer[]): boolean {
  let matched = false
  for (const candidate of digests) {
    matched = timingSafeEqual(presented, candidate) || matched
  }
  return matched
}
