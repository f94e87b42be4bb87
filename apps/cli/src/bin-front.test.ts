// bin/tidemark, the shell front of bin/tidemark.js: NODE_EXTRA_CA_CERTS is set aside (Node.js would
// parse it at start-up) unless the run may use TLS with the system's CAs.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const FRONT = fileURLToPath(new URL('../bin/tidemark', import.meta.url))
const BUNDLE = '/etc/ssl/extra.pem'

describe('bin/tidemark', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tidemark-front-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  /** Runs the front with a "node" that records its arguments and both variables. */
  function run(args: string[], env: NodeJS.ProcessEnv = {}): { args: string[]; extra: string; deferred: string } {
    const fakeNode = join(dir, 'fake-node')
    const out = join(dir, 'out')
    writeFileSync(
      fakeNode,
      `#!/bin/sh\nprintf '%s\\n' "\${NODE_EXTRA_CA_CERTS-unset}" "\${TIDEMARK_NODE_EXTRA_CA_CERTS-unset}" "$@" > ${out}\n`,
      { mode: 0o755 }
    )
    const clean = { ...process.env, TIDEMARK_REPO: '', PGSSLROOTCERT: '', PGSERVICE: '', PGSERVICEFILE: '' }
    execFileSync('/bin/sh', [FRONT, ...args], { env: { ...clean, TIDEMARK_NODE: fakeNode, NODE_EXTRA_CA_CERTS: BUNDLE, ...env } })
    const [extra = '', deferred = '', ...rest] = readFileSync(out, 'utf8').split('\n').slice(0, -1)
    return { args: rest, extra, deferred }
  }

  it('starts tidemark.js with every argument, NODE_EXTRA_CA_CERTS set aside when no TLS can need it', () => {
    const result = run(['basebackup', '-h', '/tmp', '-D', 'out', '-Ft'])
    expect(result.args).toEqual([join(fileURLToPath(new URL('../bin', import.meta.url)), 'tidemark.js'), 'basebackup', '-h', '/tmp', '-D', 'out', '-Ft'])
    expect(result).toMatchObject({ extra: 'unset', deferred: BUNDLE })
  })

  it('keeps it for URLs, sslrootcert, services and the variables that choose them', () => {
    const kept = { extra: BUNDLE, deferred: 'unset' }
    expect(run(['basebackup', '--repo', 's3://bucket/backups'])).toMatchObject(kept)
    expect(run(['backups', '--repo=https://agent:7480'])).toMatchObject(kept)
    expect(run(['basebackup', '-d', 'host=db sslmode=verify-full sslrootcert=system', '-D', 'x'])).toMatchObject(kept)
    expect(run(['basebackup', '-d', 'service=prod', '-D', 'x'])).toMatchObject(kept)
    expect(run(['backups'], { TIDEMARK_REPO: 'https://agent:7480' })).toMatchObject(kept)
    expect(run(['basebackup', '-D', 'x'], { PGSSLROOTCERT: 'system' })).toMatchObject(kept)
    expect(run(['basebackup', '-D', 'x'], { PGSERVICE: 'prod' })).toMatchObject(kept)
  })
})
