import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../testing/agent-fixtures.js'
import { parseConfigFile, readConfigFile, resolveConfig, settingsFromEnv } from './agent-config.js'
import { isLoopback, parseListenAddress } from './listen-address.js'
import { parseTokens, readTokenFile } from './token-file.js'

const BASE = { tokenFile: '/etc/tidemark/tokens', repo: '/srv/tidemark' }

describe('agent config', () => {
  it('lets flags win over the environment, and the environment over the file', () => {
    const file = parseConfigFile(JSON.stringify({ ...BASE, listen: '127.0.0.1:1', pg: 'host=file' }), 'agent.json')
    const env = settingsFromEnv({ TIDEMARK_AGENT_LISTEN: '127.0.0.1:2', TIDEMARK_AGENT_PG: 'host=env' })
    const config = resolveConfig(file, env, { listen: '127.0.0.1:3' })
    expect(config).toEqual({ ...BASE, listen: { host: '127.0.0.1', port: 3 }, pg: 'host=env', tls: undefined, insecureHttp: false })
    expect(resolveConfig(file, env).listen.port).toBe(2)
  })

  it('refuses a non-loopback address without TLS unless --insecure-http', () => {
    expect(() => resolveConfig({ ...BASE, listen: '0.0.0.0:7433' })).toThrow(
      expect.objectContaining({ code: 'TIDEMARK_ERR_AGENT_INSECURE_LISTEN', exitCode: 3 })
    )
    expect(() => resolveConfig({ ...BASE, listen: '10.0.0.5:7433' }, settingsFromEnv({ TIDEMARK_AGENT_INSECURE_HTTP: 'true' }))).not.toThrow()
    expect(resolveConfig({ ...BASE, listen: '10.0.0.5', tlsCert: 'c.pem', tlsKey: 'k.pem' }).tls).toEqual({ cert: 'c.pem', key: 'k.pem' })
    expect(() => resolveConfig({ ...BASE, tlsCert: 'c.pem' })).toThrow(expect.objectContaining({ code: 'TIDEMARK_ERR_AGENT_TLS' }))
    expect(resolveConfig({ ...BASE, listen: '[::1]:80' }).listen).toEqual({ host: '::1', port: 80 })
  })

  it('names what is missing or wrong', () => {
    expect(() => resolveConfig({ repo: '/r' })).toThrow(/no --token-file: give --token-file, set TIDEMARK_AGENT_TOKEN_FILE/)
    expect(() => parseConfigFile('{"repo": 1}', 'a.json')).toThrow(/"repo" must be a string/)
    expect(() => parseConfigFile('{"port": "1"}', 'a.json')).toThrow(/unknown key "port"/)
    expect(() => parseConfigFile('[', 'a.json')).toThrow(expect.objectContaining({ code: 'TIDEMARK_ERR_AGENT_CONFIG' }))
    expect(() => parseListenAddress('host:99999')).toThrow(expect.objectContaining({ code: 'TIDEMARK_ERR_AGENT_USAGE' }))
    expect(() => settingsFromEnv({ TIDEMARK_AGENT_INSECURE_HTTP: 'maybe' })).toThrow(/expected true or false/)
  })

  it('reads the default config file only when it exists, a named one always', async () => {
    const dir = tempDir()
    await expect(readConfigFile(join(dir, 'missing.json'), {})).rejects.toMatchObject({ code: 'TIDEMARK_ERR_AGENT_CONFIG' })
    const file = join(dir, 'agent.json')
    writeFileSync(file, JSON.stringify({ repo: '/x' }))
    expect(await readConfigFile(undefined, { TIDEMARK_AGENT_CONFIG: file })).toEqual({ repo: '/x' })
  })

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1'].every(isLoopback)).toBe(true)
    expect(['0.0.0.0', '::', '10.0.0.1', 'db.example.com', '128.0.0.1'].some(isLoopback)).toBe(false)
  })
})

describe('token file', () => {
  it('reads one token per line and refuses a group- or other-readable file', async () => {
    const dir = tempDir()
    const file = join(dir, 'tokens')
    writeFileSync(file, '# agent tokens\nfirst-token-0123456789\n\n  second-token-0123456789  \n')
    chmodSync(file, 0o600)
    expect(await readTokenFile(file)).toEqual(['first-token-0123456789', 'second-token-0123456789'])
    chmodSync(file, 0o640)
    await expect(readTokenFile(file)).rejects.toMatchObject({ code: 'TIDEMARK_ERR_AGENT_TOKEN_FILE', message: expect.stringMatching(/chmod 600/) })
    await expect(readTokenFile(join(dir, 'none'))).rejects.toMatchObject({ code: 'TIDEMARK_ERR_AGENT_TOKEN_FILE' })
    expect(() => parseTokens('# nothing\n', 'f')).toThrow(/holds no token/)
    expect(() => parseTokens('short\n', 'f')).toThrow(/token 1 is shorter than 16/)
  })
})
