// Test helpers (never exported): a temporary repository, tokens, golden WAL segments, stub runners.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import { afterEach } from 'vitest'
import { buildApp, type AppOptions } from '../app.js'
import type { AgentBackupRequest, AgentBackupResult } from '../jobs/runners.js'

export const TOKEN = 'test-token-0123456789abcdef'
export const OTHER_TOKEN = 'second-token-0123456789abcdef'
export const AUTH = { authorization: `Bearer ${TOKEN}` }

/** Real PostgreSQL 16 WAL (1 MB segments) from @tidemark/wal's golden fixtures. */
const WAL_FIXTURES = new URL('../../../../packages/wal/test/fixtures/', import.meta.url)
export const SEGMENT_3 = '000000010000000000000003'
export const SEGMENT_5 = '000000010000000000000005'
export const SEGMENT_SIZE = 1024 * 1024

export function segment(name: typeof SEGMENT_3 | typeof SEGMENT_5): Buffer {
  return gunzipSync(readFileSync(new URL(`pg16-1mb-${name}.gz`, WAL_FIXTURES)))
}

const made: string[] = []
const apps: FastifyInstance[] = []

export function tempDir(prefix = 'tidemark-agent-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

/** A ready app on a fresh repository; closed and removed after the test. */
export async function testApp(options: Partial<AppOptions> = {}): Promise<{ app: FastifyInstance; repo: string }> {
  const repo = options.repoDir ?? tempDir()
  const app = buildApp({ repoDir: repo, tokens: [TOKEN, OTHER_TOKEN], ...options })
  apps.push(app)
  await app.ready()
  return { app, repo }
}

afterEach(async () => {
  for (const app of apps.splice(0)) {
    await app.close()
  }
  for (const dir of made.splice(0)) {
    rmSync(dir, { recursive: true, force: true })
  }
})

export function backupResult(label: string, bytes = 1234): AgentBackupResult {
  return {
    label,
    flavor: 'postgresql',
    serverMajor: 17,
    systemIdentifier: '7311111111111111111',
    timeline: 1,
    startLsn: '0/2000028',
    endLsn: '0/2000138',
    startTime: new Date('2026-11-24T10:00:00.000Z'),
    endTime: new Date('2026-11-24T10:00:05.000Z'),
    bytes,
  }
}

/** A backup runner the test finishes by hand; it writes one file into the target first. */
export function manualRunner(): {
  runner: (request: AgentBackupRequest) => Promise<AgentBackupResult>
  requests: AgentBackupRequest[]
  finish: (error?: Error) => void
  started: Promise<void>
} {
  const requests: AgentBackupRequest[] = []
  let finish: (error?: Error) => void = () => undefined
  let markStarted: () => void = () => undefined
  const started = new Promise<void>((resolve) => (markStarted = resolve))
  const runner = async (request: AgentBackupRequest): Promise<AgentBackupResult> => {
    requests.push(request)
    const { mkdir, writeFile } = await import('node:fs/promises')
    await mkdir(request.targetDir, { recursive: true })
    await writeFile(join(request.targetDir, 'base.tar'), 'partial')
    request.onProgress({ doneBytes: 10, totalBytes: 100 })
    markStarted()
    await new Promise<void>((resolve, reject) => {
      finish = (error) => (error ? reject(error) : resolve())
      request.signal.addEventListener('abort', () => reject(new Error('aborted by signal')), { once: true })
    })
    return backupResult(request.label)
  }
  return { runner, requests, finish: (error) => finish(error), started }
}

/** Polls until the predicate holds (or fails after ms). */
export async function eventually<T>(probe: () => Promise<T> | T, ok: (value: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (ok(value) || Date.now() > deadline) {
      return value
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
