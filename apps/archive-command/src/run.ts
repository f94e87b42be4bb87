import { createProgram, type ProgramIo } from './program.js'
import { exitStatusOf } from './exit-status.js'

export interface RunIo extends ProgramIo {
  readonly stderr: (text: string) => void
}

/** Runs tidemark-wal with argv (without node and the script) and returns its exit status. */
export async function run(argv: readonly string[], io: Partial<RunIo> = {}): Promise<number> {
  const stderr = io.stderr ?? ((text: string) => void process.stderr.write(text))
  const program = createProgram(io)
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput({
      writeOut: (text) => (io.stdout ?? ((t: string) => void process.stdout.write(t)))(text),
      // commander's own complaints are reported once, by exitStatusOf, in the house format.
      writeErr: () => undefined,
      outputError: () => undefined,
    })
  }
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return 0
  } catch (error) {
    const status = exitStatusOf(error)
    if (status.line) {
      stderr(`${status.line}\n`)
    }
    return status.exitCode
  }
}
