// Errors of the tidemark command line itself. Library errors keep their own codes; these cover
// usage, interruption and the unexpected. Every code is listed in docs/errors.md.

/** A bad option or argument found by the command line itself (commander's own are reported alike). */
export class CliUsageError extends Error {
  readonly code: string = 'TIDEMARK_ERR_CLI_USAGE'
  readonly exitCode: number = 2
}

/** The run was stopped by SIGINT (exit 130) or SIGTERM (exit 143). */
export class CliInterruptedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_CLI_INTERRUPTED'
  readonly exitCode: number
  constructor(readonly signal: string) {
    super(`interrupted by ${signal}`)
    this.exitCode = signal === 'SIGTERM' ? 143 : 130
  }
}

/** An error without a Tidemark code: a bug or an unforeseen failure; the message says what failed. */
export class CliInternalError extends Error {
  readonly code: string = 'TIDEMARK_ERR_CLI_INTERNAL'
  readonly exitCode: number = 4
}

/** tidemark-wal (for a restore_command reading from a repository) is not installed next to tidemark. */
export class TidemarkWalNotFoundError extends Error {
  readonly code: string = 'TIDEMARK_ERR_CLI_TIDEMARK_WAL_NOT_FOUND'
  readonly exitCode: number = 4
  constructor(searched: readonly string[]) {
    super(
      `tidemark-wal is not installed next to tidemark (looked for ${searched.join(', ')}); ` +
        `install @tidemark/archive-command or pass --restore-command`
    )
  }
}
