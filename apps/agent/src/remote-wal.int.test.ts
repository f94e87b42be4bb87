// archive_command and restore_command over HTTP: `tidemark-wal push/get --repo http://…` against a
// running agent, and a bounded failure against an agent that never answers.
import { execFile, execFileSync } from 'node:child_process'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createSampleTable, scratchDir, startCluster, stopAllClusters, switchWal, testMajors, type Cluster } from '@tidemark/test-fixtures'
import { TOKEN } from './testing/agent-fixtures.js'
import { auth, startAgent, until } from './testing/live-agent.js'

afterAll(stopAllClusters)

const WAL_PACKAGE = fileURLToPath(new URL('../../archive-command/', import.meta.url))
const WAL_BIN = join(WAL_PACKAGE, 'bin', 'tidemark-wal.js')

// tidemark-wal runs from its bundle (dist/main.js); make it from the current sources.
execFileSync(process.execPath, ['build.mjs'], { cwd: WAL_PACKAGE, stdio: 'pipe' })

function tokenFile(): string {
  const file = join(scratchDir('agent-token'), 'token')
  writeFileSync(file, `${TOKEN}\n`, { mode: 0o644 })
  return file
}

function tidemarkWal(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [WAL_BIN, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env } }, (error, _stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr })
    })
  })
}

async function archiver(cluster: Cluster): Promise<{ archived: number; failed: number; last: string | null }> {
  const [row] = await cluster.query<{ archived: string; failed: string; last: string | null }>(
    'SELECT archived_count::text AS archived, failed_count::text AS failed, last_archived_wal AS last FROM pg_stat_archiver'
  )
  return { archived: Number(row?.archived), failed: Number(row?.failed), last: row?.last ?? null }
}

describe('tidemark-wal with an http repository', () => {
  for (const major of testMajors()) {
    it(`archives and restores through the agent on PostgreSQL ${major}`, async () => {
      const agent = await startAgent()
      const token = tokenFile()
      const archiveCommand = [process.execPath, WAL_BIN, 'push', '--repo', agent.url, '--token-file', token, '%p', '%f'].join(' ')
      const cluster = await startCluster({ major, archiveCommand })
      agent.attach(cluster)
      await createSampleTable(cluster, 'items', 200)
      for (let i = 0; i < 3; i += 1) {
        await switchWal(cluster)
      }
      const status = await until('3 archived segments', () => archiver(cluster), (a) => a.archived >= 3)
      expect(status.failed, cluster.logTail()).toBe(0)
      const name = status.last ?? ''
      const target = join(scratchDir('agent-get'), name)
      const got = await tidemarkWal(['get', '--repo', agent.url, name, target], { TIDEMARK_TOKEN: TOKEN })
      expect(got, got.stderr).toMatchObject({ code: 0 })
      const served = Buffer.from(await (await fetch(`${agent.url}/v1/wal/${name}`, { headers: auth })).arrayBuffer())
      expect(readFileSync(target).equals(served)).toBe(true)
      const missing = await tidemarkWal(['get', '--repo', agent.url, '0000000100000000000000FF', join(scratchDir('agent-get'), 'x')], { TIDEMARK_TOKEN: TOKEN })
      expect(missing.code).toBe(1)
      const wrong = await tidemarkWal(['get', '--repo', agent.url, name, join(scratchDir('agent-get'), 'y')], { TIDEMARK_TOKEN: 'wrong-token-0123456789' })
      expect(wrong.code).toBe(2)
      expect(wrong.stderr).toMatch(/refused the token/)
      expect(wrong.stderr).not.toContain('wrong-token-0123456789')
      await cluster.stop()
    })
  }

  it('gives up on an agent that accepts connections and never answers, within its deadline', async () => {
    const sockets: Socket[] = []
    const server: Server = createServer((socket) => void sockets.push(socket))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const started = Date.now()
    const result = await tidemarkWal(['get', '--repo', `http://127.0.0.1:${port}`, '000000010000000000000001', join(scratchDir('agent-get'), 'z')], {
      TIDEMARK_TOKEN: TOKEN,
      TIDEMARK_HTTP_TIMEOUT: '1',
      TIDEMARK_HTTP_RETRIES: '1',
    })
    expect(result.code).toBe(4)
    expect(result.stderr).toMatch(/after 2 attempts: no answer within 1000 ms \[TIDEMARK_ERR_WAL_IO\]/)
    expect(Date.now() - started).toBeLessThan(10_000)
    for (const socket of sockets) {
      socket.destroy()
    }
    server.close()
  })
})
