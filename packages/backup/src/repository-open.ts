// Opens the repository of --repo (or TIDEMARK_REPO) for the backup commands: a directory or
// s3://bucket/prefix with the S3 flags every command shares, plus the multipart part size
// (--s3-part-size or TIDEMARK_S3_PART_SIZE, in MiB; at least 5); or http(s)://host:port of a
// tidemark-agent with its token (--token-file, TIDEMARK_TOKEN_FILE or TIDEMARK_TOKEN).
import { httpOptionsFromFlags, isHttpLocation, openStorage, repositoryLocation, s3OptionsFromFlags, type HttpFlags, type S3Flags } from '@tidemark/storage'
import { BackupUsageError } from './errors.js'
import { BackupRepository } from './repository/backup-repository.js'

/** The environment variable of the S3 multipart part size in MiB, when --s3-part-size is not given. */
export const S3_PART_SIZE_ENV = 'TIDEMARK_S3_PART_SIZE'

export interface RepositoryFlags extends S3Flags, HttpFlags {
  /** MiB per multipart part (5 or more). */
  readonly s3PartSize?: string | undefined
}

export interface OpenedBackupRepository {
  /** The location as given (--repo or TIDEMARK_REPO), for restore_command and messages. */
  readonly location: string
  readonly repository: BackupRepository
}

function partSizeBytes(flags: RepositoryFlags, env: NodeJS.ProcessEnv): number | undefined {
  const text = flags.s3PartSize?.trim() || env[S3_PART_SIZE_ENV]?.trim()
  if (!text) {
    return undefined
  }
  const mib = Number(text)
  if (!/^\d+$/.test(text) || mib < 5 || mib > 5120) {
    throw new BackupUsageError(`S3 part size "${text.slice(0, 20)}": expected a whole number of MiB from 5 to 5120`)
  }
  return mib * 1024 * 1024
}

/** The repository of the flag (else TIDEMARK_REPO); relative directories are resolved against cwd. */
export async function openBackupRepository(
  flag: string | undefined,
  flags: RepositoryFlags = {},
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd()
): Promise<OpenedBackupRepository> {
  const location = repositoryLocation(flag, env)
  if (isHttpLocation(location)) {
    return { location, repository: new BackupRepository(await openStorage(location, { http: httpOptionsFromFlags(flags, env) })) }
  }
  const partSize = partSizeBytes(flags, env)
  const storage = await openStorage(location, { cwd, s3: { ...s3OptionsFromFlags(flags, env), ...(partSize !== undefined ? { partSize } : {}) } })
  return { location, repository: new BackupRepository(storage) }
}
