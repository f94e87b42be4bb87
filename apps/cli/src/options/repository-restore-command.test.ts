import { describe, expect, it } from 'vitest'
import { repositoryRestoreCommand } from './repository-restore-command.js'

describe('repositoryRestoreCommand', () => {
  it('is tidemark-wal get --repo DIR for a directory repository, whatever the environment', () => {
    expect(repositoryRestoreCommand('/opt/t/tidemark-wal.js', '/wal repo', {}, { AWS_PROFILE: 'p' }, '/usr/bin/node')).toBe(
      "/usr/bin/node /opt/t/tidemark-wal.js get --repo '/wal repo' %f %p"
    )
  })

  it("carries the agent token file's path for an http(s) repository, never the token", () => {
    expect(repositoryRestoreCommand('/opt/t/tidemark-wal.js', 'https://agent:7433', { tokenFile: '/etc/tidemark/token' }, { TIDEMARK_TOKEN: 'secret' }, '/usr/bin/node')).toBe(
      '/usr/bin/node /opt/t/tidemark-wal.js get --repo https://agent:7433 --token-file /etc/tidemark/token %f %p'
    )
    expect(repositoryRestoreCommand('/opt/t/tidemark-wal.js', 'http://agent:7433', {}, { TIDEMARK_TOKEN_FILE: '/t', TIDEMARK_TOKEN: 'secret' }, '/usr/bin/node')).toBe(
      '/usr/bin/node /opt/t/tidemark-wal.js get --repo http://agent:7433 --token-file /t %f %p'
    )
  })

  it('carries the S3 settings in force for an s3:// repository, and where credentials are, never a key', () => {
    const command = repositoryRestoreCommand(
      '/opt/t/tidemark-wal.js',
      's3://bucket/prod',
      { s3PathStyle: true },
      {
        AWS_ENDPOINT_URL: 'http://10.0.0.5:7480',
        AWS_REGION: 'eu-1',
        AWS_SHARED_CREDENTIALS_FILE: '/etc/tidemark/credentials',
        AWS_ACCESS_KEY_ID: 'AKIDSECRET',
        AWS_SECRET_ACCESS_KEY: 'verysecret',
      },
      '/usr/bin/node'
    )
    expect(command).toBe(
      'env AWS_SHARED_CREDENTIALS_FILE=/etc/tidemark/credentials /usr/bin/node /opt/t/tidemark-wal.js get --repo s3://bucket/prod ' +
        '--s3-endpoint http://10.0.0.5:7480 --s3-region eu-1 --s3-path-style=true %f %p'
    )
    expect(command).not.toMatch(/AKID|verysecret/)
  })

  it('prefers the flags to the environment', () => {
    expect(
      repositoryRestoreCommand('/w', 's3://b', { s3Endpoint: 'http://h:1', s3Region: 'r', s3Profile: 'backup', s3PathStyle: 'false' }, { AWS_ENDPOINT_URL_S3: 'http://other' }, '/n')
    ).toBe('/w get --repo s3://b --s3-endpoint http://h:1 --s3-region r --s3-profile backup --s3-path-style=false %f %p')
  })
})
