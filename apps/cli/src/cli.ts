import { CommanderError } from 'commander'
import { processIo, type CliIo } from './io.js'
import { createProgram } from './program.js'

/**
 * Runs the command line on argv (without node and script) and returns the exit status it set:
 * 0, a command's error exit status, or 2 for a usage error commander found.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0
  const tracking: CliIo = {
    ...io,
    setExitCode: (code) => {
      exitCode = code
      io.setExitCode(code)
    },
  }
  try {
    await createProgram(tracking).parseAsync([...argv], { from: 'user' })
  } catch (error) {
    if (!(error instanceof CommanderError)) {
      throw error
    }
    // Help and version end with exit code 0; everything else commander reports is a usage error.
    tracking.setExitCode(error.exitCode === 0 ? 0 : 2)
  }
  return exitCode
}
