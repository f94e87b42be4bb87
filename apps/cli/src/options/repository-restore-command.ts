import { commandLine } from '@tidemark/recovery'
import type { S3OptionValues } from './repository-options.js'

/**
 * The AWS settings a recovering server needs to reach an s3:// repository, passed on in its
 * restore_command. Only where credentials are (files, a profile), never a key: secrets stay in the
 * server's environment or its credentials file.
 */
const PASSED_ENV = ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_PROFILE'] as const

/**
 * restore_command reading WAL from repo: `tidemark-wal get --repo REPO %f %p`; for an s3:// repository
 * with the endpoint, region, profile and path style in force here as flags, and the credential file
 * locations and profile of this environment through `env`.
 */
export function repositoryRestoreCommand(
  walBin: string,
  repo: string,
  flags: S3OptionValues,
  env: NodeJS.ProcessEnv,
  nodePath: string = process.execPath
): string {
  const program = walBin.endsWith('.js') ? [nodePath, walBin] : [walBin]
  if (/^https?:\/\//i.test(repo)) {
    // The token file's path, never the token: the server's OS user must be able to read it.
    const tokenFile = flags.tokenFile?.trim() || env['TIDEMARK_TOKEN_FILE']?.trim()
    return commandLine([...program, 'get', '--repo', repo, ...(tokenFile ? ['--token-file', tokenFile] : [])], ['%f', '%p'])
  }
  if (!/^s3:\/\//i.test(repo)) {
    return commandLine([...program, 'get', '--repo', repo], ['%f', '%p'])
  }
  const set = (value: string | undefined): string | undefined => (value?.trim() ? value.trim() : undefined)
  const endpoint = set(flags.s3Endpoint) ?? set(env['AWS_ENDPOINT_URL_S3']) ?? set(env['AWS_ENDPOINT_URL'])
  const region = set(flags.s3Region) ?? set(env['AWS_REGION']) ?? set(env['AWS_DEFAULT_REGION'])
  const pathStyle = flags.s3PathStyle === true ? 'true' : (set(typeof flags.s3PathStyle === 'string' ? flags.s3PathStyle : undefined) ?? set(env['TIDEMARK_S3_PATH_STYLE']))
  const s3 = [
    ...(endpoint ? ['--s3-endpoint', endpoint] : []),
    ...(region ? ['--s3-region', region] : []),
    ...(set(flags.s3Profile) ? ['--s3-profile', set(flags.s3Profile) ?? ''] : []),
    ...(pathStyle ? [`--s3-path-style=${pathStyle}`] : []),
  ]
  const passed = PASSED_ENV.filter((name) => set(env[name]) !== undefined).map((name) => `${name}=${set(env[name]) ?? ''}`)
  const prefix = passed.length > 0 ? ['env', ...passed] : []
  return commandLine([...prefix, ...program, 'get', '--repo', repo, ...s3], ['%f', '%p'])
}
