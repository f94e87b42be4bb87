// The one place where a failure becomes an exit status and a stderr line:
// `tidemark: <message> [<CODE>]`, no stack trace.
import { CommanderError } from 'commander'
import { isCodedError, oneLine } from './coded-error.js'
import { AgentInternalError, AgentUsageError } from './errors.js'

export interface ExitStatus {
  readonly exitCode: number
  /** The stderr line, or undefined when there is nothing to say (help, version). */
  readonly line: string | undefined
}

export function exitStatusOf(error: unknown): ExitStatus {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) {
      return { exitCode: 0, line: undefined }
    }
    return exitStatusOf(new AgentUsageError(`${error.message.replace(/^error: /, '')}; see tidemark-agent --help`))
  }
  const coded = isCodedError(error)
    ? error
    : new AgentInternalError(`unexpected failure: ${error instanceof Error ? error.message : String(error)}`)
  return { exitCode: coded.exitCode, line: `tidemark: ${oneLine(coded.message)} [${coded.code}]` }
}
