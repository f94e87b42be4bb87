import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { run } from './run.js'
import { TOKEN, tempDir } from './testing/agent-fixtures.js'

async function runAgent(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stderr: string }> {
  let stderr = ''
  const status = await run(argv, { env, stderr: (text) => (stderr += text), stdout: () => undefined, stopSignal: async () => 'SIGTERM' })
  return { status, stderr }
}

describe('tidemark-agent run', () => {
  it('refuses a non-loopback address without TLS before reading anything else', async () => {
    const result = await runAgent(['--listen', '0.0.0.0:7433', '--token-file', '/nonexistent', '--repo', '/nonexistent'])
    expect(result.status).toBe(3)
    expect(result.stderr).toMatch(/^tidemark: refusing to listen on 0\.0\.0\.0 without TLS.*\[TIDEMARK_ERR_AGENT_INSECURE_LISTEN\]\n$/)
  })

  it('refuses a token file readable by others', async () => {
    const dir = tempDir()
    const tokens = join(dir, 'tokens')
    writeFileSync(tokens, `${TOKEN}\n`)
    chmodSync(tokens, 0o644)
    const result = await runAgent(['--listen', '127.0.0.1:0', '--token-file', tokens, '--repo', join(dir, 'repo')])
    expect(result.status).toBe(3)
    expect(result.stderr).toContain('[TIDEMARK_ERR_AGENT_TOKEN_FILE]')
  })

  it('reports a missing setting and an unknown option as usage errors', async () => {
    expect(await runAgent(['--repo', '/r'])).toEqual({ status: 2, stderr: expect.stringMatching(/no --token-file.*\[TIDEMARK_ERR_AGENT_USAGE\]/) })
    expect((await runAgent(['--bogus'])).stderr).toMatch(/unknown option '--bogus'; see tidemark-agent --help \[TIDEMARK_ERR_AGENT_USAGE\]/)
  })

  it('starts from the environment, listens, and stops cleanly on the stop signal', async () => {
    const dir = tempDir()
    const tokens = join(dir, 'tokens')
    writeFileSync(tokens, `${TOKEN}\n`, { mode: 0o600 })
    const result = await runAgent(['--log-level', 'fatal'], {
      TIDEMARK_AGENT_LISTEN: '127.0.0.1:0',
      TIDEMARK_AGENT_TOKEN_FILE: tokens,
      TIDEMARK_AGENT_REPO: join(dir, 'repo'),
      TIDEMARK_AGENT_CONFIG: join(dir, 'absent.json'),
    })
    expect(result).toEqual({ status: 2, stderr: expect.stringContaining('[TIDEMARK_ERR_AGENT_CONFIG]') })
    const started = await runAgent(['--log-level', 'fatal'], {
      TIDEMARK_AGENT_LISTEN: '127.0.0.1:0',
      TIDEMARK_AGENT_TOKEN_FILE: tokens,
      TIDEMARK_AGENT_REPO: join(dir, 'repo'),
    })
    expect(started).toEqual({ status: 0, stderr: '' })
  })

  it('opens an s3:// repository with the S3 flags: a bad flag is a usage error, a good one starts without a request', async () => {
    const dir = tempDir()
    const tokens = join(dir, 'tokens')
    writeFileSync(tokens, `${TOKEN}\n`, { mode: 0o600 })
    const env = { TIDEMARK_AGENT_LISTEN: '127.0.0.1:0', TIDEMARK_AGENT_TOKEN_FILE: tokens, TIDEMARK_AGENT_REPO: 's3://tidemark-bucket/node-1' }
    const refused = await runAgent(['--log-level', 'fatal', '--s3-path-style=maybe'], env)
    expect(refused).toEqual({ status: 2, stderr: expect.stringMatching(/^tidemark: [^\n]*--s3-path-style[^\n]*\[TIDEMARK_ERR_STORAGE_USAGE\]\n$/) })
    // Nothing is sent at start (the endpoint here refuses every connection): the agent starts and stops.
    expect(await runAgent(['--log-level', 'fatal', '--s3-endpoint', 'http://127.0.0.1:1', '--s3-region', 'eu-1'], env)).toEqual({ status: 0, stderr: '' })
  })
})
