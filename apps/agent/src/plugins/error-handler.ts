// Errors as JSON `{ error: { code, message } }` with the status http-status.ts gives their code;
// fastify's own 4xx (validation, bad JSON, media type) keep their status under the usage code.
import type { FastifyError, FastifyInstance } from 'fastify'
import { isCodedError, oneLine } from '../coded-error.js'
import { httpStatusOf } from '../http-status.js'

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string }
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (isCodedError(error)) {
      const status = httpStatusOf(error)
      if (status >= 500) {
        request.log.error({ code: error.code, message: error.message }, 'request failed')
      }
      if (status === 401) {
        void reply.header('www-authenticate', 'Bearer')
      }
      return reply.code(status).send(body(error.code, error.message))
    }
    const status = error.statusCode ?? 500
    if (status < 500) {
      return reply.code(status).send(body(status === 413 ? 'TIDEMARK_ERR_AGENT_BODY_TOO_LARGE' : 'TIDEMARK_ERR_AGENT_USAGE', error.message))
    }
    request.log.error({ err: error }, 'request failed unexpectedly')
    return reply.code(500).send(body('TIDEMARK_ERR_AGENT_INTERNAL', 'internal error; see the agent log'))
  })
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send(body('TIDEMARK_ERR_AGENT_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`))
  )
}

export function body(code: string, message: string): ErrorBody {
  return { error: { code, message: oneLine(message) } }
}
