import { describe, expect, it } from 'vitest'
import { CliUsageError } from './errors.js'
import { runAction } from './run-action.js'
import { fakeIo } from './testing/fake-io.js'

class DiskError extends Error {
  readonly code = 'TIDEMARK_ERR_TEST_DISK'
  readonly exitCode = 4
}

describe('runAction', () => {
  it('runs the action with its arguments and sets no exit code on success', async () => {
    const io = fakeIo()
    let seen: unknown[] = []
    await runAction(io, async (context, a: number, b: string) => {
      seen = [a, b, context.signal.aborted]
      context.out('done')
    })(1, 'two')
    expect(seen).toEqual([1, 'two', false])
    expect(io.out).toEqual(['done\n'])
    expect(io.exitCodes).toEqual([])
    expect(io.listenerCount()).toBe(0)
  })

  it('prints a coded error on one line and sets its exit code', async () => {
    const io = fakeIo()
    await runAction(io, async () => {
      throw new DiskError('disk full\nwhile writing "x"')
    })()
    expect(io.err).toEqual(['tidemark: disk full; while writing "x" [TIDEMARK_ERR_TEST_DISK]\n'])
    expect(io.exitCodes).toEqual([4])
    await runAction(io, async () => {
      throw new CliUsageError('give --a or --b')
    })()
    expect(io.exitCodes).toEqual([4, 2])
  })

  it('reports other errors as TIDEMARK_ERR_CLI_INTERNAL with exit 4, with the stack only under TIDEMARK_DEBUG=1', async () => {
    const quiet = fakeIo()
    await runAction(quiet, async () => {
      throw new TypeError('x is undefined')
    })()
    expect(quiet.err).toEqual(['tidemark: x is undefined [TIDEMARK_ERR_CLI_INTERNAL]\n'])
    expect(quiet.exitCodes).toEqual([4])
    const debug = fakeIo({ env: { TIDEMARK_DEBUG: '1' } })
    await runAction(debug, async () => {
      throw new TypeError('x is undefined', { cause: new Error('root cause') })
    })()
    const text = debug.err.join('')
    expect(text.split('\n')[0]).toBe('tidemark: x is undefined [TIDEMARK_ERR_CLI_INTERNAL]')
    expect(text).toContain('at ')
    expect(text).toContain('caused by: Error: root cause')
  })

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('aborts the signal on %s and exits %i', async (signal, exitCode) => {
    const io = fakeIo()
    await runAction(io, async (context) => {
      await new Promise<void>((resolve, reject) => {
        context.signal.addEventListener('abort', () => reject(context.signal.reason as Error))
        queueMicrotask(() => io.send(signal))
        void resolve
      })
    })()
    expect(io.err).toEqual([`tidemark: interrupted by ${signal} [TIDEMARK_ERR_CLI_INTERRUPTED]\n`])
    expect(io.exitCodes).toEqual([exitCode])
    expect(io.listenerCount()).toBe(0)
  })

  it('maps an AbortError thrown after a signal to the interruption', async () => {
    const io = fakeIo()
    await runAction(io, async (context) => {
      io.send('SIGINT')
      const error = new Error('The operation was aborted')
      error.name = 'AbortError'
      expect(context.signal.aborted).toBe(true)
      throw error
    })()
    expect(io.exitCodes).toEqual([130])
  })

  it('exits at once on a second signal', async () => {
    const io = fakeIo()
    await runAction(io, async () => {
      io.send('SIGINT')
      io.send('SIGTERM')
    })()
    expect(io.exits).toEqual([143])
    expect(io.err).toEqual(['tidemark: SIGTERM again, exiting at once\n'])
  })
})
