// On ready: an empty incoming directory for WAL bodies, and no half-written backups left by a crash.
import { mkdir, rm } from 'node:fs/promises'
import type { FastifyInstance } from 'fastify'

export function installStartup(app: FastifyInstance): void {
  app.addHook('onReady', async () => {
    const { incomingDir, backups } = app.agent
    await rm(incomingDir, { recursive: true, force: true })
    await mkdir(incomingDir, { recursive: true, mode: 0o700 })
    for (const id of await backups.leftByCrash()) {
      app.log.warn({ backupId: id }, 'removing an unfinished backup left by an earlier run')
      await backups.remove(id)
    }
  })
  app.addHook('preClose', async () => {
    await app.agent.jobs.shutdown()
  })
}
