/** Everything the command line touches of its process: output, exit status, signals, environment. */
export interface CliIo {
  stdout(text: string): void
  stderr(text: string): void
  setExitCode(code: number): void
  /** Subscribes to SIGINT/SIGTERM; returns the unsubscribe function. */
  onSignal(signal: 'SIGINT' | 'SIGTERM', handler: () => void): () => void
  /** Ends the process at once (a second signal while an action is still winding down). */
  exit(code: number): void
  readonly env: NodeJS.ProcessEnv
  readonly cwd: string
}

/** The real process. */
export function processIo(): CliIo {
  return {
    stdout: (text) => {
      process.stdout.write(text)
    },
    stderr: (text) => {
      process.stderr.write(text)
    },
    setExitCode: (code) => {
      process.exitCode = code
    },
    onSignal: (signal, handler) => {
      process.on(signal, handler)
      return () => {
        process.off(signal, handler)
      }
    },
    exit: (code) => {
      process.exit(code)
    },
    env: process.env,
    cwd: process.cwd(),
  }
}
