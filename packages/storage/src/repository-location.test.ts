import { describe, expect, it } from 'vitest'
import { StorageUsageError } from './errors.js'
import { isS3Location, repositoryLocation, s3OptionsFromFlags } from './repository-location.js'

describe('repositoryLocation', () => {
  it('takes the flag before TIDEMARK_REPO and refuses neither', () => {
    expect(repositoryLocation('s3://b/p', { TIDEMARK_REPO: '/x' })).toBe('s3://b/p')
    expect(repositoryLocation(undefined, { TIDEMARK_REPO: ' /x ' })).toBe('/x')
    expect(() => repositoryLocation('  ', {})).toThrow(StorageUsageError)
  })
  it('tells object storage from a directory', () => {
    expect(isS3Location('S3://bucket')).toBe(true)
    expect(isS3Location('/srv/s3://x')).toBe(false)
  })
})

describe('s3OptionsFromFlags', () => {
  it('passes given flags and leaves the rest to the environment', () => {
    const env = { AWS_REGION: 'eu-west-1' }
    expect(s3OptionsFromFlags({ s3Endpoint: 'http://127.0.0.1:7480', s3PathStyle: 'false' }, env)).toEqual({
      env,
      endpoint: 'http://127.0.0.1:7480',
      pathStyle: false,
    })
    expect(s3OptionsFromFlags({ s3PathStyle: true, s3Region: 'r', s3Profile: 'p' }, env)).toMatchObject({ pathStyle: true, region: 'r', profile: 'p' })
  })
  it('refuses a path-style value that is not yes or no', () => {
    expect(() => s3OptionsFromFlags({ s3PathStyle: 'maybe' }, {})).toThrow(StorageUsageError)
  })
})
