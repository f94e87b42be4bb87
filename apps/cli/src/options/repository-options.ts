import { Option, type Command } from 'commander'
import type { RepositoryFlags } from '@tidemark/backup'

/** The values addS3Options adds (commander's camel-cased names). */
export interface S3OptionValues {
  readonly s3Endpoint?: string
  readonly s3Region?: string
  readonly s3Profile?: string
  readonly s3PathStyle?: string | boolean
  readonly s3PartSize?: string
  readonly tokenFile?: string
}

/** The values addRepositoryOptions adds. */
export interface RepositoryOptionValues extends S3OptionValues {
  readonly repo?: string
}

/**
 * The S3 flags every command with a repository shares; unset ones leave the AWS environment
 * (AWS_ENDPOINT_URL_S3/AWS_ENDPOINT_URL, AWS_REGION, AWS_PROFILE, the shared files) and
 * TIDEMARK_S3_PATH_STYLE in force.
 */
export function addS3Options(command: Command): Command {
  return command
    .option('--s3-endpoint <url>', 'S3 endpoint http(s)://host[:port] (default: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL)')
    .option('--s3-region <region>', 'S3 region (default: AWS_REGION; us-east-1 with a custom endpoint)')
    .option('--s3-profile <profile>', 'profile of the AWS shared config and credentials files (default: AWS_PROFILE)')
    .addOption(new Option('--s3-path-style [bool]', 'path-style addressing (default: TIDEMARK_S3_PATH_STYLE, else on for an IP or localhost endpoint)'))
    .option('--s3-part-size <MiB>', 'multipart part size in MiB, 5 or more (default: TIDEMARK_S3_PART_SIZE, else 16)')
    .option('--token-file <file>', "the agent's bearer token for an http(s):// repository (default: TIDEMARK_TOKEN_FILE, else TIDEMARK_TOKEN)")
}

/** --repo DIR|s3://bucket/prefix|http(s)://agent:port, the S3 flags and --token-file. */
export function addRepositoryOptions(command: Command, what: string): Command {
  return addS3Options(command.option('--repo <repo>', `${what} (a directory, s3://bucket/prefix or http(s)://agent:port; default: TIDEMARK_REPO)`))
}

/** The S3 flags as @tidemark/backup's openBackupRepository takes them. */
export function repositoryFlags(values: S3OptionValues): RepositoryFlags {
  return {
    s3Endpoint: values.s3Endpoint,
    s3Region: values.s3Region,
    s3Profile: values.s3Profile,
    s3PathStyle: values.s3PathStyle,
    s3PartSize: values.s3PartSize,
    tokenFile: values.tokenFile,
  }
}
