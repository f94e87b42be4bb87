import { describe, expect, it } from 'vitest'
import { runCli } from './cli.js'
import { fakeIo } from './testing/fake-io.js'
import { packageVersion } from './version.js'

async function run(argv: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  const io = fakeIo()
  const exitCode = await runCli(argv, io)
  return { out: io.out.join(''), err: io.err.join(''), exitCode }
}

describe('tidemark', () => {
  it('prints its version with -V and --version', async () => {
    expect(await run(['-V'])).toEqual({ out: `${packageVersion()}\n`, err: '', exitCode: 0 })
    expect((await run(['--version'])).out).toBe(`${packageVersion()}\n`)
  })

  it('prints help with --help and -?, listing its commands', async () => {
    expect((await run(['--help'])).out).toContain('Usage: tidemark')
    const help = await run(['-?'])
    expect(help.out).toContain('-V, --version')
    expect(help.out).toContain('recovery-config')
    expect(help.exitCode).toBe(0)
  })

  it('prints command help with -?', async () => {
    const help = await run(['recovery-config', '-?'])
    expect(help.out).toContain('Usage: tidemark recovery-config')
    expect(help.out).toContain('--target-name <name>')
    expect(help.exitCode).toBe(0)
  })

  it('reports usage errors on one line with TIDEMARK_ERR_CLI_USAGE and exit 2', async () => {
    expect(await run(['--bogus'])).toEqual({
      out: '',
      err: "tidemark: unknown option '--bogus' [TIDEMARK_ERR_CLI_USAGE]\n",
      exitCode: 2,
    })
    const missing = await run(['recovery-config'])
    expect(missing.err).toBe("tidemark: required option '-D, --pgdata <dir>' not specified [TIDEMARK_ERR_CLI_USAGE]\n")
    expect(missing.exitCode).toBe(2)
    const badPort = await run(['recovery-config', '-D', '/nonexistent', '--port', 'x'])
    expect(badPort.err).toMatch(/^tidemark: option '--port <port>' argument 'x' is invalid\. expected an integer from 1 to 65535 \[TIDEMARK_ERR_CLI_USAGE\]\n$/)
    expect(badPort.exitCode).toBe(2)
    const badAction = await run(['recovery-config', '-D', '/x', '--target-action', 'explode'])
    expect(badAction.exitCode).toBe(2)
    expect(badAction.err).toContain('Allowed choices are pause, promote, shutdown')
  })

  it('reports an unknown command as a usage error', async () => {
    const result = await run(['frobnicate'])
    expect(result.exitCode).toBe(2)
    expect(result.err).toMatch(/^tidemark: .*frobnicate.* \[TIDEMARK_ERR_CLI_USAGE\]\n$/)
  })
})
