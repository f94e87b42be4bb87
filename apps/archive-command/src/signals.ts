// SIGINT / SIGTERM (PostgreSQL's fast shutdown stops the archiver with SIGTERM... and then waits for
// it; an operator may interrupt a manual run): remove the temporary files of writes in progress and
// exit 130 / 143 with one line. Nothing else is left behind: archived files appear only by rename
// or link, which is atomic.
import { CliInterruptedError } from './errors.js'
import { exitStatusOf } from './exit-status.js'

let installed = false

/**
 * Installed by the commands once they have loaded @tidemark/wal (so --help and --version load
 * nothing), with its removeTemporaryFilesSync.
 */
export function installSignalHandlers(
  removeTemporaryFilesSync: () => number,
  stderr: (text: string) => void = (text) => void process.stderr.write(text)
): void {
  if (installed) {
    return
  }
  installed = true
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      removeTemporaryFilesSync()
      const status = exitStatusOf(new CliInterruptedError(signal))
      stderr(`${status.line}\n`)
      process.exit(status.exitCode)
    })
  }
}
