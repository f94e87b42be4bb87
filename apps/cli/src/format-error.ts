import { CliInternalError } from './errors.js'

/** An error with a Tidemark code and exit status, as every package's errors have. */
export interface CodedError {
  readonly message: string
  readonly code: string
  readonly exitCode: number
}

/** The error as one with a code: Tidemark errors as they are, anything else as TIDEMARK_ERR_CLI_INTERNAL. */
export function asCodedError(error: unknown): CodedError & Error {
  if (error instanceof Error) {
    const { code, exitCode } = error as Partial<CodedError>
    if (typeof code === 'string' && code.startsWith('TIDEMARK_ERR_') && typeof exitCode === 'number') {
      return error as CodedError & Error
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return new CliInternalError(message, { cause: error })
}

/**
 * `tidemark: <message> [<CODE>]` on one line (line breaks in the message become "; "); with
 * `debug` (TIDEMARK_DEBUG=1) the stack and the cause chain follow.
 */
export function formatError(error: CodedError & Error, debug = false): string {
  const message = error.message.split(/\r?\n/).map((part) => part.trim()).filter(Boolean).join('; ')
  let text = `tidemark: ${message} [${error.code}]\n`
  if (debug) {
    let current: unknown = error
    while (current instanceof Error) {
      text += `${current.stack ?? current.message}\n`
      current = current.cause
      if (current !== undefined) {
        text += 'caused by: '
      }
    }
    if (current !== undefined && !(current instanceof Error)) {
      text += `${String(current)}\n`
    }
  }
  return text
}
