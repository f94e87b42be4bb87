// The S3 client settings from explicit options and the standard AWS environment: endpoint from
// AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, region from AWS_REGION or AWS_DEFAULT_REGION (us-east-1 for
// a custom endpoint without one), credentials from options, else the SDK's default chain (environment,
// AWS_PROFILE and the shared config and credentials files, …), path-style per usePathStyle.
import { StorageUsageError } from './errors.js'
import { basePartSize, DEFAULT_PART_SIZE } from './part-size.js'
import { usePathStyle } from './path-style.js'
import type { RetryPolicy } from './retry.js'
import { DEFAULT_RETRY_POLICY } from './retry.js'

export interface S3Credentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
}

export interface S3StorageOptions {
  /** http(s)://host[:port] of an S3-compatible server (default: the environment, else AWS). */
  readonly endpoint?: string
  readonly region?: string
  readonly credentials?: S3Credentials
  /** A profile of the shared config files (default: AWS_PROFILE). */
  readonly profile?: string
  /** Path-style addressing (default: TIDEMARK_S3_PATH_STYLE, else on for IP/localhost endpoints). */
  readonly pathStyle?: boolean
  /** Base multipart part size (default 16 MiB, at least 5 MiB). */
  readonly partSize?: number
  /** Parts uploaded in parallel, each holding one part in memory (default 4). */
  readonly parallelParts?: number
  /** Deadline of one attempt of a request until its answer starts (default 30 s; uploads get 1 s more per MiB). */
  readonly requestTimeoutMs?: number
  /** Connection set-up deadline (default 5 s). */
  readonly connectTimeoutMs?: number
  /** A socket idle this long fails the request, during a download too (default 30 s). */
  readonly idleTimeoutMs?: number
  readonly retry?: Partial<RetryPolicy>
  /**
   * Create-only puts: 'auto' uses `If-None-Match: *` and falls back to claims when the server answers
   * 501; 'claims' always uses the claim protocol (see s3-create-only.ts).
   */
  readonly createOnly?: 'auto' | 'claims'
  readonly env?: NodeJS.ProcessEnv
}

export interface ResolvedS3Config {
  readonly endpoint: string | undefined
  readonly region: string | undefined
  readonly forcePathStyle: boolean
  readonly credentials: S3Credentials | undefined
  readonly profile: string | undefined
  readonly partSize: number
  readonly parallelParts: number
  readonly requestTimeoutMs: number
  readonly connectTimeoutMs: number
  readonly idleTimeoutMs: number
  readonly retry: RetryPolicy
  readonly createOnly: 'auto' | 'claims'
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

export function resolveS3Config(options: S3StorageOptions = {}): ResolvedS3Config {
  const env = options.env ?? process.env
  const endpoint = nonEmpty(options.endpoint) ?? nonEmpty(env['AWS_ENDPOINT_URL_S3']) ?? nonEmpty(env['AWS_ENDPOINT_URL'])
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw new StorageUsageError(`invalid S3 endpoint ${JSON.stringify(endpoint)}: give http(s)://host[:port]`)
  }
  const region =
    nonEmpty(options.region) ?? nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']) ?? (endpoint ? 'us-east-1' : undefined)
  const positive = (value: number | undefined, fallback: number, name: string): number => {
    if (value === undefined) {
      return fallback
    }
    if (!Number.isFinite(value) || value <= 0) {
      throw new StorageUsageError(`${name} must be a positive number, not ${value}`)
    }
    return value
  }
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry }
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1) {
    throw new StorageUsageError(`retry attempts must be a whole number of at least 1, not ${retry.attempts}`)
  }
  return {
    endpoint,
    region,
    forcePathStyle: usePathStyle(endpoint, options.pathStyle, env),
    credentials: options.credentials,
    profile: nonEmpty(options.profile) ?? nonEmpty(env['AWS_PROFILE']),
    partSize: basePartSize(positive(options.partSize, DEFAULT_PART_SIZE, 'partSize')),
    parallelParts: Math.floor(positive(options.parallelParts, 4, 'parallelParts')),
    requestTimeoutMs: positive(options.requestTimeoutMs, 30_000, 'requestTimeoutMs'),
    connectTimeoutMs: positive(options.connectTimeoutMs, 5_000, 'connectTimeoutMs'),
    idleTimeoutMs: positive(options.idleTimeoutMs, 30_000, 'idleTimeoutMs'),
    retry,
    createOnly: options.createOnly ?? 'auto',
  }
}
