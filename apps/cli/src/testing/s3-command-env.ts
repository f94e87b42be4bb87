// For command-line tests against an s3:// repository: the credentials file the server's OS user reads
// (named by AWS_SHARED_CREDENTIALS_FILE), and tidemark run in-process with an environment set as a
// shell would set it (the AWS SDK's credential chain reads the process's own environment).
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chownTree, scratchDir, serverOsUser, type S3Server } from '@tidemark/test-fixtures'
import { runCli } from '../cli.js'
import { fakeIo } from './fake-io.js'

/** A credentials file of the server's keys that only the server's OS user (and root) may read. */
export function serverCredentialsFile(server: S3Server): string {
  const dir = scratchDir('cli-s3-credentials')
  const file = join(dir, 'credentials')
  writeFileSync(file, `[default]\naws_access_key_id = ${server.accessKey}\naws_secret_access_key = ${server.secretKey}\n`)
  chmodSync(file, 0o600)
  chownTree(dir, serverOsUser())
  return file
}

/** Runs tidemark in-process with env in the process environment for the run. */
export async function tidemarkWithEnv(
  argv: readonly string[],
  env: Readonly<Record<string, string>>
): Promise<{ out: string; err: string; exitCode: number }> {
  const io = fakeIo({ env: { ...env } })
  const saved = Object.keys(env).map((name) => [name, process.env[name]] as const)
  Object.assign(process.env, env)
  try {
    const exitCode = await runCli([...argv], io)
    return { out: io.out.join(''), err: io.err.join(''), exitCode }
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) {
        delete process.env[name]
      } else {
        process.env[name] = value
      }
    }
  }
}
