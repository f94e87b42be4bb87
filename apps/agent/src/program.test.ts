import { describe, expect, it } from 'vitest'
import { createProgram } from './program.js'
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

describe('tidemark-agent', () => {
  it('prints its version with -V and --version', () => {
    expect(run(['-V'])).toEqual({ out: `${packageVersion()}\n`, exitCode: 0 })
    expect(run(['--version']).out).toBe(`${packageVersion()}\n`)
  })

  it('prints help with --help and -?', () => {
    expect(run(['--help']).out).toContain('Usage: tidemark-agent')
    expect(run(['-?']).out).toContain('-V, --version')
  })
})
