// startS3Server: a throw-away single-node Ceph cluster (one mon, one memstore osd, radosgw; no cephx,
// no mgr) on 127.0.0.1, in a scratch directory, serving S3. It follows
// ../shared/reference/s3-test-server.md and starts in about 1.5 s. stop() ends every daemon and
// removes the directory; a process exit kills what is left, and the run-wide sweep catches the rest.
import { randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from '../free-port.js'
import { scratchDir } from '../run-dir.js'
import { BOOTSTRAP_SCRIPT, cephConfig, RGW_POOLS, WAIT_OSD_UP_SCRIPT } from './ceph-config.js'
import { killDaemonsSync, runCommand, startDaemon, stopDaemons } from './ceph-daemons.js'
import { s3ServerAvailable, s3ServerUnavailableMessage, SYSTEM_PYTHON } from './ceph-install.js'
import { signedHeaders } from './sigv4.js'

export interface S3Server {
  /** http://127.0.0.1:<port> (path-style addressing). */
  readonly endpoint: string
  readonly accessKey: string
  readonly secretKey: string
  /** us-east-1: RGW refuses CreateBucket with another location constraint. */
  readonly region: string
  /** The cluster's directory (logs in log/). */
  readonly dir: string
  /** Creates a bucket (409 BucketAlreadyOwnedByYou is fine). */
  createBucket(name: string): Promise<void>
  /** The last lines of radosgw's log, for failure messages. */
  logTail(lines?: number): string
  /** Ends every daemon and removes the directory; safe to call twice. */
  stop(): Promise<void>
}

export interface S3ServerOptions {
  /** Memstore capacity: the objects live in the osd's memory (default 1 GiB). */
  readonly memstoreBytes?: number
}

const live = new Set<string>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) {
    return
  }
  exitHookInstalled = true
  process.on('exit', () => {
    for (const dir of live) {
      killDaemonsSync(dir)
    }
  })
}

/** Starts a fresh cluster; throws (after cleaning up) when it does not come up. Check s3ServerAvailable() first. */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  if (!s3ServerAvailable()) {
    throw new Error(s3ServerUnavailableMessage())
  }
  let lastError: unknown
  // A port picked by freePort can be taken before the daemon binds it: one more try with new ports.
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      return await startOnce(options)
    } catch (error) {
      lastError = error
    }
  }
  throw lastError
}

async function startOnce(options: S3ServerOptions): Promise<S3Server> {
  const dir = scratchDir('ceph-s3')
  for (const sub of ['run', 'run/rgw', 'log', 'mon.a', 'crash']) {
    mkdirSync(join(dir, sub), { recursive: true })
  }
  const [monPort, rgwPort] = [await freePort(), await freePort()]
  const conf = join(dir, 'ceph.conf')
  const fsid = randomUUID()
  writeFileSync(conf, cephConfig({ fsid, dir, monPort, rgwPort, memstoreBytes: options.memstoreBytes ?? 1024 ** 3 }))
  installExitHook()
  live.add(dir)
  const endpoint = `http://127.0.0.1:${rgwPort}`
  const accessKey = 'tidemark-test'
  const secretKey = randomUUID().replaceAll('-', '')
  const stop = async (): Promise<void> => {
    await stopDaemons(dir)
    live.delete(dir)
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const c = ['-c', conf]
    await runCommand('monmaptool', ['--create', '--fsid', fsid, '--addv', 'a', `[v1:127.0.0.1:${monPort}]`, join(dir, 'monmap')])
    await runCommand('ceph-mon', [...c, '--mkfs', '-i', 'a', '--monmap', join(dir, 'monmap')])
    startDaemon(dir, 'mon', 'ceph-mon', [...c, '-i', 'a', '-f'])
    const osdUuid = randomUUID()
    const osdId = (await runCommand(SYSTEM_PYTHON, ['-c', BOOTSTRAP_SCRIPT, conf, osdUuid, JSON.stringify(RGW_POOLS)])).trim()
    mkdirSync(join(dir, `osd.${osdId}`), { recursive: true })
    await runCommand('ceph-osd', [...c, '-i', osdId, '--mkfs', '--osd-uuid', osdUuid])
    startDaemon(dir, 'osd', 'ceph-osd', [...c, '-i', osdId, '-f'])
    await runCommand(SYSTEM_PYTHON, ['-c', WAIT_OSD_UP_SCRIPT, conf, '60'])
    startDaemon(dir, 'rgw', 'radosgw', [...c, '-n', 'client.rgw.a', '-f'])
    await waitForHttp(endpoint, 120_000)
    await runCommand('radosgw-admin', [...c, 'user', 'create', '--uid=tidemark', '--display-name=tidemark',
      `--access-key=${accessKey}`, `--secret-key=${secretKey}`])
  } catch (error) {
    const tail = tailOf(join(dir, 'log', 'client.rgw.a.log'), 10) || tailOf(join(dir, 'log', 'osd.0.log'), 10)
    await stop()
    throw new Error(`the Ceph S3 test server did not start: ${(error as Error).message}${tail ? `\n${tail}` : ''}`, { cause: error })
  }
  const region = 'us-east-1'
  return {
    endpoint,
    accessKey,
    secretKey,
    region,
    dir,
    createBucket: async (name) => {
      const path = `/${name}`
      const response = await fetch(new URL(path, endpoint), {
        method: 'PUT',
        headers: signedHeaders({ method: 'PUT', endpoint, path, region, accessKey, secretKey }),
        signal: AbortSignal.timeout(30_000),
      })
      const body = await response.text()
      if (!response.ok && !(response.status === 409 && body.includes('BucketAlreadyOwnedByYou'))) {
        throw new Error(`could not create bucket ${name}: HTTP ${response.status} ${body.slice(0, 300)}`)
      }
    },
    logTail: (lines = 30) => tailOf(join(dir, 'log', 'client.rgw.a.log'), lines),
    stop,
  }
}

async function waitForHttp(endpoint: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    try {
      const response = await fetch(endpoint, { signal: AbortSignal.timeout(2_000) })
      await response.arrayBuffer()
      if (response.ok) {
        return
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`radosgw did not answer on ${endpoint} within ${ms} ms`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function tailOf(file: string, lines: number): string {
  try {
    const text = readFileSync(file, 'utf8')
    return text.trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return ''
  }
}
