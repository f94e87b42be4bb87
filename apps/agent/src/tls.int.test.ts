// tidemark-agent over TLS, started as the command line starts it: a non-loopback-safe setup.
import { readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freePort, makeTlsFiles, scratchDir } from '@tidemark/test-fixtures'
import { run } from './run.js'
import { TOKEN } from './testing/agent-fixtures.js'

function httpsGet(url: string, ca: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('tidemark-agent with TLS', () => {
  it('serves HTTPS with the given certificate, checks tokens, and stops on the signal', async () => {
    const dir = scratchDir('agent-tls')
    const tls = makeTlsFiles(dir)
    const tokens = join(dir, 'tokens')
    writeFileSync(tokens, `${TOKEN}\n`, { mode: 0o600 })
    const port = await freePort()
    let stop: (signal: string) => void = () => undefined
    const stopped = new Promise<string>((resolve) => (stop = resolve))
    let stderr = ''
    const running = run(
      ['--listen', `127.0.0.1:${port}`, '--token-file', tokens, '--repo', join(dir, 'repo'), '--tls-cert', tls.serverCert, '--tls-key', tls.serverKey, '--log-level', 'fatal'],
      { env: {}, stopSignal: () => stopped, stderr: (text) => (stderr += text), stdout: () => undefined }
    )
    const ca = readFileSync(tls.caCert)
    const base = `https://127.0.0.1:${port}`
    let health: { status: number; body: string } | undefined
    for (let i = 0; i < 100 && !health; i += 1) {
      health = await httpsGet(`${base}/healthz`, ca).catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 50))
        return undefined
      })
    }
    expect(health?.status, stderr).toBe(200)
    expect((await httpsGet(`${base}/v1/wal`, ca, { authorization: `Bearer ${TOKEN}` })).status).toBe(200)
    expect((await httpsGet(`${base}/v1/wal`, ca, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401)
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow()
    stop('SIGTERM')
    expect(await running).toBe(0)
    expect(stderr).toBe('')
  })
})
