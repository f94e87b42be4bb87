/** A bad command line: the harness prints the message and the usage, and exits 2. */
export class BenchUsageError extends Error {
  readonly exitCode = 2

  constructor(message: string) {
    super(message)
    this.name = 'BenchUsageError'
  }
}
