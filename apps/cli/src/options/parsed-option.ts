import { InvalidArgumentError } from 'commander'

/**
 * A commander argument parser from a library parser that throws its own (coded) errors: the
 * failure becomes a usage error (exit 2, one line) instead of escaping the command line.
 */
export function parsedOption<T>(parse: (value: string) => T): (value: string) => T {
  return (value: string): T => {
    try {
      return parse(value)
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error))
    }
  }
}
