import { exitStatusOf } from './exit-status.js'
import { createProgram, type ProgramIo } from './program.js'

export interface RunIo extends ProgramIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

/** Runs tidemark-agent with argv (without node and the script) until it stops; returns the exit status. */
export async function run(argv: readonly string[], io: Partial<RunIo> = {}): Promise<number> {
  const stdout = io.stdout ?? ((text: string) => void process.stdout.write(text))
  const stderr = io.stderr ?? ((text: string) => void process.stderr.write(text))
  const program = createProgram(io)
    .exitOverride()
    .configureOutput({ writeOut: stdout, writeErr: () => undefined, outputError: () => undefined })
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
