// Jobs: their state, and server-sent events of their progress until they end.
import type { FastifyPluginAsync } from 'fastify'
import { AgentNotFoundError } from '../errors.js'
import { isFinished, type JobView } from '../jobs/job.js'

interface IdParams {
  readonly id: string
}

export const jobRoutes: FastifyPluginAsync = async (app) => {
  const find = (id: string): JobView => {
    const job = app.agent.jobs.get(id)
    if (!job) {
      throw new AgentNotFoundError(`no job ${id.slice(0, 64)} (jobs are kept in memory until the agent restarts)`)
    }
    return job
  }

  app.get<{ Params: IdParams }>('/:id', async (request) => find(request.params.id))

  app.get<{ Params: IdParams }>('/:id/events', async (request, reply) => {
    const job = find(request.params.id)
    void reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
    const send = (type: 'progress' | 'end', view: JobView): void => {
      raw.write(`event: ${type}\ndata: ${JSON.stringify(view)}\n\n`)
    }
    if (isFinished(job.state)) {
      send('end', job)
      raw.end()
      return
    }
    send('progress', job)
    const unsubscribe = app.agent.jobs.subscribe(job.id, (event) => {
      send(event.type, event.job)
      if (event.type === 'end') {
        unsubscribe()
        raw.end()
      }
    })
    request.raw.once('close', unsubscribe)
  })
}
