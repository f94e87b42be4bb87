import { describe, expect, it } from 'vitest'
import { StorageUsageError } from './errors.js'
import { MIB } from './part-size.js'
import { resolveS3Config } from './s3-config.js'

describe('resolveS3Config', () => {
  it('reads endpoint, region and profile from the standard AWS environment', () => {
    const c = resolveS3Config({ env: { AWS_ENDPOINT_URL: 'http://10.0.0.5:7480', AWS_REGION: 'eu-west-3', AWS_PROFILE: 'backup' } })
    expect(c).toMatchObject({ endpoint: 'http://10.0.0.5:7480', region: 'eu-west-3', profile: 'backup', forcePathStyle: true })
    expect(resolveS3Config({ env: { AWS_ENDPOINT_URL: 'http://a:1', AWS_ENDPOINT_URL_S3: 'https://s3.example.com' } })).toMatchObject({
      endpoint: 'https://s3.example.com',
      forcePathStyle: false,
      region: 'us-east-1',
    })
    expect(resolveS3Config({ env: { AWS_DEFAULT_REGION: 'ap-south-1' } })).toMatchObject({ endpoint: undefined, region: 'ap-south-1' })
    expect(resolveS3Config({ env: {} })).toMatchObject({ endpoint: undefined, region: undefined, credentials: undefined, profile: undefined })
  })

  it('prefers explicit options over the environment', () => {
    const c = resolveS3Config({
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-west-2',
      pathStyle: false,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      env: { AWS_ENDPOINT_URL_S3: 'http://other', AWS_REGION: 'x', TIDEMARK_S3_PATH_STYLE: 'true' },
    })
    expect(c).toMatchObject({ endpoint: 'http://127.0.0.1:9000', region: 'us-west-2', forcePathStyle: false, credentials: { accessKeyId: 'a' } })
  })

  it('has safe defaults and rounds the part size up to at least 5 MiB', () => {
    const c = resolveS3Config({ env: {}, partSize: 1 })
    expect(c).toMatchObject({ partSize: 5 * MIB, parallelParts: 4, requestTimeoutMs: 30_000, connectTimeoutMs: 5_000, createOnly: 'auto' })
    expect(c.retry.attempts).toBe(5)
    expect(resolveS3Config({ env: {} }).partSize).toBe(16 * MIB)
  })

  it('refuses bad endpoints and numbers', () => {
    expect(() => resolveS3Config({ env: { AWS_ENDPOINT_URL: 'ftp://x' } })).toThrow(StorageUsageError)
    expect(() => resolveS3Config({ env: {}, parallelParts: 0 })).toThrow(StorageUsageError)
    expect(() => resolveS3Config({ env: {}, requestTimeoutMs: -1 })).toThrow(StorageUsageError)
    expect(() => resolveS3Config({ env: {}, retry: { attempts: 0 } })).toThrow(StorageUsageError)
  })
})
