/** Undo actions run last-in first-out: on success, on failure, and on Ctrl-C or SIGTERM. */
export class CleanupStack {
  readonly #actions: { name: string; run: () => Promise<void> | void }[] = []
  #running: Promise<void> | undefined

  add(name: string, run: () => Promise<void> | void): void {
    this.#actions.push({ name, run })
  }

  /** Runs every action once, newest first; a failing action is reported and the rest still run. */
  runAll(): Promise<void> {
    this.#running ??= (async () => {
      for (let action = this.#actions.pop(); action !== undefined; action = this.#actions.pop()) {
        try {
          await action.run()
        } catch (error) {
          console.error(`bench: cleanup '${action.name}' failed: ${(error as Error).message}`)
        }
      }
    })()
    return this.#running
  }

  /** Cleans up and exits on SIGINT, SIGTERM and SIGHUP (128 + the signal number, as shells report). */
  exitOnSignals(): void {
    const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const
    for (const [signal, code] of Object.entries(codes)) {
      process.once(signal, () => {
        console.error(`\nbench: ${signal}: stopping the servers and removing scratch directories`)
        void this.runAll().finally(() => process.exit(code))
      })
    }
  }
}
