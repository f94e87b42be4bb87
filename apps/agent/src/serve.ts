// Runs the agent: token file, TLS files, the real engine and probes, listen, and a graceful stop on
// SIGTERM/SIGINT (running jobs aborted and cleaned up by the app's preClose hook).
import { readFile } from 'node:fs/promises'
import { mkdir } from 'node:fs/promises'
import { isS3Location, openStorage, s3OptionsFromFlags, type Storage } from '@tidemark/storage'
import { buildApp, LOG_REDACT } from './app.js'
import { engineBackupRunner } from './backup/engine-runner.js'
import { engineVerifyRunner } from './backup/engine-verify.js'
import type { AgentConfig } from './config/agent-config.js'
import { formatListenAddress } from './config/listen-address.js'
import { readTokenFile } from './config/token-file.js'
import { AgentListenError, AgentTlsError } from './errors.js'
import { wireProbe } from './pg/wire-probe.js'

export interface ServeIo {
  /** Resolves with the signal that asks the agent to stop. */
  readonly stopSignal: () => Promise<string>
  readonly logLevel: string
  /** The AWS environment an s3:// repository is reached with (default: process.env). */
  readonly env?: NodeJS.ProcessEnv
}

export async function serve(config: AgentConfig, io: ServeIo): Promise<void> {
  const tokens = await readTokenFile(config.tokenFile)
  const https = config.tls ? await readTls(config.tls) : undefined
  const storage = await openRepository(config, io.env ?? process.env)
  const app = buildApp({
    ...(storage ? { storage } : { repoDir: config.repo }),
    tokens,
    logger: { level: io.logLevel, redact: [...LOG_REDACT] },
    ...(https ? { https } : {}),
    pg: config.pg === undefined ? undefined : wireProbe(config.pg),
    backupRunner: config.pg === undefined ? undefined : engineBackupRunner(config.pg),
    verifyRunner: engineVerifyRunner,
  })
  const stopping = io.stopSignal()
  try {
    await app.listen({ host: config.listen.host, port: config.listen.port })
  } catch (error) {
    await app.close()
    throw new AgentListenError(`cannot listen on ${formatListenAddress(config.listen)}: ${(error as Error).message}`, { cause: error })
  }
  const signal = await stopping
  app.log.info({ signal }, 'stopping: aborting running jobs and closing connections')
  await app.close()
}

/** The storage of an s3:// repository (the app closes it), or undefined after making the directory. */
async function openRepository(config: AgentConfig, env: NodeJS.ProcessEnv): Promise<Storage | undefined> {
  if (isS3Location(config.repo)) {
    return openStorage(config.repo, { s3: s3OptionsFromFlags(config.s3 ?? {}, env) })
  }
  await mkdir(config.repo, { recursive: true, mode: 0o750 })
  return undefined
}

async function readTls(files: { readonly cert: string; readonly key: string }): Promise<{ cert: Buffer; key: Buffer }> {
  try {
    return { cert: await readFile(files.cert), key: await readFile(files.key) }
  } catch (error) {
    throw new AgentTlsError(`cannot read the TLS certificate or key (${(error as NodeJS.ErrnoException).code ?? 'error'}): ${files.cert}, ${files.key}`, { cause: error })
  }
}
