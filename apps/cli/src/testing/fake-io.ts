import type { CliIo } from '../io.js'

/** A CliIo that records output and exit codes, and lets a test send signals. */
export interface FakeIo extends CliIo {
  readonly out: string[]
  readonly err: string[]
  readonly exitCodes: number[]
  readonly exits: number[]
  send(signal: 'SIGINT' | 'SIGTERM'): void
  listenerCount(): number
}

export function fakeIo(options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): FakeIo {
  const handlers = new Map<string, Set<() => void>>()
  const io: FakeIo = {
    out: [],
    err: [],
    exitCodes: [],
    exits: [],
    stdout: (text) => {
      io.out.push(text)
    },
    stderr: (text) => {
      io.err.push(text)
    },
    setExitCode: (code) => {
      io.exitCodes.push(code)
    },
    onSignal: (signal, handler) => {
      const set = handlers.get(signal) ?? new Set()
      handlers.set(signal, set)
      set.add(handler)
      return () => {
        set.delete(handler)
      }
    },
    exit: (code) => {
      io.exits.push(code)
    },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    send: (signal) => {
      for (const handler of handlers.get(signal) ?? []) {
        handler()
      }
    },
    listenerCount: () => [...handlers.values()].reduce((sum, set) => sum + set.size, 0),
  }
  return io
}
