import { CliInterruptedError } from './errors.js'
import { asCodedError, formatError } from './format-error.js'
import type { CliIo } from './io.js'

/** What every command action receives. */
export interface ActionContext {
  /** Aborted on SIGINT or SIGTERM: pass it on to every long operation and clean up when it fires. */
  readonly signal: AbortSignal
  readonly io: CliIo
  /** Writes a line to stdout. */
  out(line: string): void
  /** Writes `tidemark: warning: <line>` to stderr. */
  warn(line: string): void
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const

/**
 * Wraps a command action: runs it with an AbortSignal that SIGINT/SIGTERM abort (a second signal
 * exits at once), and turns whatever it throws into `tidemark: <message> [<CODE>]` on stderr and the
 * error's exit status (130/143 when interrupted). Never rethrows.
 */
export function runAction<Args extends unknown[]>(
  io: CliIo,
  action: (context: ActionContext, ...args: Args) => Promise<void>
): (...args: Args) => Promise<void> {
  return async (...args: Args): Promise<void> => {
    const controller = new AbortController()
    let received: (typeof SIGNALS)[number] | undefined
    const unsubscribe = SIGNALS.map((name) =>
      io.onSignal(name, () => {
        if (received !== undefined) {
          io.stderr(`tidemark: ${name} again, exiting at once\n`)
          io.exit(new CliInterruptedError(name).exitCode)
          return
        }
        received = name
        controller.abort(new CliInterruptedError(name))
      })
    )
    const context: ActionContext = {
      signal: controller.signal,
      io,
      out: (line) => io.stdout(`${line}\n`),
      warn: (line) => io.stderr(`tidemark: warning: ${line}\n`),
    }
    try {
      await action(context, ...args)
    } catch (error) {
      const coded = asCodedError(received !== undefined && isAbort(error) ? new CliInterruptedError(received) : error)
      io.stderr(formatError(coded, io.env.TIDEMARK_DEBUG === '1'))
      io.setExitCode(coded.exitCode)
    } finally {
      for (const off of unsubscribe) {
        off()
      }
    }
  }
}

/** An AbortError, or the CliInterruptedError the signal was aborted with. */
function isAbort(error: unknown): boolean {
  return error instanceof CliInterruptedError || (error instanceof Error && error.name === 'AbortError')
}
