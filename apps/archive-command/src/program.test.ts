import { describe, expect, it } from 'vitest'
import { createProgram, s3Arguments } from './program.js'
import { packageVersion } from './version.js'

function run(argv: string[]): { out: string; exitCode: number } {
  let out = ''
  const program = createProgram()
    .exitOverride()
    .configureOutput({ writeOut: (text) => (out += text), writeErr: (text) => (out += text) })
  try {
    program.parse(argv, { from: 'user' })
  } catch (error) {
    return { out, exitCode: (error as { exitCode: number }).exitCode }
  }
  return { out, exitCode: 0 }
}

describe('tidemark-wal', () => {
  it('prints its version with -V and --version', () => {
    expect(run(['-V'])).toEqual({ out: `${packageVersion()}\n`, exitCode: 0 })
    expect(run(['--version']).out).toBe(`${packageVersion()}\n`)
  })

  it('prints help with --help and -?', () => {
    expect(run(['--help']).out).toContain('Usage: tidemark-wal')
    expect(run(['-?']).out).toContain('-V, --version')
  })

  it('offers s3:// repositories and the shared S3 flags on every command that opens a repository', () => {
    const program = createProgram()
    for (const command of ['push', 'get', 'cleanup']) {
      const help = program.commands.find((c) => c.name() === command)?.helpInformation() ?? ''
      expect(help).toContain('s3://bucket/prefix')
      for (const flag of ['--s3-endpoint <url>', '--s3-region <region>', '--s3-profile <name>', '--s3-path-style [bool]']) {
        expect(help).toContain(flag)
      }
    }
  })

  it('hands the prefetch worker the S3 flags get was given', () => {
    expect(s3Arguments({})).toEqual([])
    expect(s3Arguments({ repo: 's3://b/p', s3Endpoint: 'http://127.0.0.1:9000', s3Region: 'eu-1', s3Profile: 'wal', s3PathStyle: true })).toEqual([
      '--s3-endpoint', 'http://127.0.0.1:9000', '--s3-region', 'eu-1', '--s3-profile', 'wal', '--s3-path-style=true',
    ])
  })
})
