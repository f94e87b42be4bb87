// Errors of the tidemark-wal command line itself; the library's own errors come from @tidemark/wal.

/** An unknown command or option, or a missing argument (commander's complaint, reworded once). */
export class CliUsageError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_CLI_USAGE'
  readonly exitCode: number = 2
}

/** Anything that is not a Tidemark error: a bug, reported in one line. */
export class CliInternalError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_CLI_INTERNAL'
  readonly exitCode: number = 4
}

/** SIGINT or SIGTERM: the temporary files of writes in progress were removed. */
export class CliInterruptedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_WAL_CLI_INTERRUPTED'
  readonly exitCode: number
  constructor(signal: string) {
    super(`interrupted by ${signal}; nothing partial was left behind`)
    this.exitCode = signal === 'SIGTERM' ? 143 : 130
  }
}
