// Integration helpers (never exported): a listening agent whose database is attached later.
import type { AddressInfo } from 'node:net'
import type { Storage } from '@tidemark/storage'
import { scratchDir, type Cluster } from '@tidemark/test-fixtures'
import type { FastifyInstance } from 'fastify'
import { afterAll } from 'vitest'
import { buildApp } from '../app.js'
import { engineBackupRunner } from '../backup/engine-runner.js'
import { engineVerifyRunner } from '../backup/engine-verify.js'
import { wireProbe } from '../pg/wire-probe.js'
import { TOKEN } from './agent-fixtures.js'

const apps: FastifyInstance[] = []
afterAll(async () => {
  for (const app of apps.splice(0)) {
    await app.close()
  }
})

export const auth = { authorization: `Bearer ${TOKEN}` }

export interface RunningAgent {
  readonly url: string
  /** The repository directory, or the storage's URL for a storage repository. */
  readonly repo: string
  readonly app: FastifyInstance
  /** Points the agent's probe and backups at a server started after the agent. */
  attach(cluster: Cluster): void
}

/** An agent listening on a free loopback port, with the real probe and backup engine; on a fresh directory or the given storage. */
export async function startAgent(options: { readonly storage?: Storage } = {}): Promise<RunningAgent> {
  const repo = options.storage?.url ?? scratchDir('agent-repo')
  let conninfo = ''
  const app = buildApp({
    ...(options.storage ? { storage: options.storage } : { repoDir: repo }),
    tokens: [TOKEN],
    pg: { archiverStatus: () => wireProbe(conninfo).archiverStatus() },
    backupRunner: async (request) => engineBackupRunner(conninfo)(request),
    verifyRunner: engineVerifyRunner,
  })
  apps.push(app)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    repo,
    app,
    attach: (cluster) => {
      conninfo = `host=127.0.0.1 port=${cluster.port} user=postgres password=${cluster.password} dbname=postgres`
    },
  }
}

export function metric(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

export async function until<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (ok(value)) {
      return value
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(value)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
