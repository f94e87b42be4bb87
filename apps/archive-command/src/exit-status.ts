// The one place where a failure becomes an exit status and a stderr line:
// `tidemark-wal: <message> [<CODE>]`, no stack trace. PostgreSQL retries archive_command on any
// non-zero status and treats any restore_command failure below 126 as "file not available".
import { CommanderError } from 'commander'
import { CliInternalError, CliUsageError } from './errors.js'

export interface ExitStatus {
  readonly exitCode: number
  /** The stderr line, or undefined when there is nothing to say (help, version). */
  readonly line: string | undefined
}

interface CodedError {
  readonly code: string
  readonly exitCode: number
  readonly message: string
}

export function exitStatusOf(error: unknown): ExitStatus {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) {
      return { exitCode: 0, line: undefined }
    }
    const message = error.message.replace(/^error: /, '')
    return exitStatusOf(new CliUsageError(`${message}; see tidemark-wal --help`))
  }
  const coded = isCoded(error) ? error : new CliInternalError(`unexpected failure: ${describe(error)}`)
  return { exitCode: coded.exitCode, line: `tidemark-wal: ${oneLine(coded.message)} [${coded.code}]` }
}

function isCoded(error: unknown): error is CodedError {
  const candidate = error as Partial<CodedError> | undefined
  return (
    error instanceof Error &&
    typeof candidate?.code === 'string' &&
    candidate.code.startsWith('TIDEMARK_ERR_') &&
    typeof candidate.exitCode === 'number'
  )
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}
