// Where a repository is (--repo or TIDEMARK_REPO) and how to reach it: the S3 flags every command
// shares (--s3-endpoint, --s3-region, --s3-profile, --s3-path-style), layered over the AWS environment.
import { StorageUsageError } from './errors.js'
import { httpOptionsFromFlags, isHttpLocation, type HttpFlags } from './http-config.js'
import { openStorage } from './open-storage.js'
import { parseBooleanSetting } from './path-style.js'
import type { S3StorageOptions } from './s3-config.js'
import type { Storage } from './storage.js'

/** The environment variable that names the repository when --repo is not given. */
export const REPOSITORY_ENV: string = 'TIDEMARK_REPO'

/** The S3 flags as commander gives them (strings; undefined when not given). */
export interface S3Flags {
  readonly s3Endpoint?: string | undefined
  readonly s3Region?: string | undefined
  readonly s3Profile?: string | undefined
  /** 'true'/'false' (or yes/no, on/off, 1/0); a bare flag is true. */
  readonly s3PathStyle?: string | boolean | undefined
}

/** The repository location: the flag, else TIDEMARK_REPO; StorageUsageError when neither is set. */
export function repositoryLocation(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const where = flag?.trim() || env[REPOSITORY_ENV]?.trim()
  if (!where) {
    throw new StorageUsageError(`no repository: give --repo DIR|s3://bucket/prefix|http(s)://agent:port or set ${REPOSITORY_ENV}`)
  }
  return where
}

/** Whether a location names object storage rather than a directory. */
export function isS3Location(location: string): boolean {
  return /^s3:\/\//i.test(location)
}

/** S3 driver options from the flags; unset flags leave the AWS environment in force. */
export function s3OptionsFromFlags(flags: S3Flags, env: NodeJS.ProcessEnv = process.env): S3StorageOptions {
  const pathStyle =
    typeof flags.s3PathStyle === 'boolean' ? flags.s3PathStyle : parseBooleanSetting(flags.s3PathStyle, '--s3-path-style')
  return {
    env,
    ...(flags.s3Endpoint?.trim() ? { endpoint: flags.s3Endpoint.trim() } : {}),
    ...(flags.s3Region?.trim() ? { region: flags.s3Region.trim() } : {}),
    ...(flags.s3Profile?.trim() ? { profile: flags.s3Profile.trim() } : {}),
    ...(pathStyle !== undefined ? { pathStyle } : {}),
  }
}

/** Opens the repository's storage: --repo (or TIDEMARK_REPO) with the S3 flags, or an agent's with its token. */
export async function openRepositoryStorage(
  flag: string | undefined,
  flags: S3Flags & HttpFlags = {},
  env: NodeJS.ProcessEnv = process.env
): Promise<Storage> {
  const location = repositoryLocation(flag, env)
  if (isHttpLocation(location)) {
    return openStorage(location, { http: httpOptionsFromFlags(flags, env) })
  }
  return openStorage(location, { s3: s3OptionsFromFlags(flags, env) })
}
