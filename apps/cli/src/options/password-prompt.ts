import { createInterface } from 'node:readline'

/**
 * The -W prompt: asks on stderr and reads one line from stdin without echoing it when stdin is a
 * terminal. Returns undefined at end of input.
 */
export function promptPassword(prompt = 'Password: '): Promise<string | undefined> {
  return new Promise((resolve) => {
    const input = process.stdin
    const output = process.stderr
    const rl = createInterface({ input, output, terminal: input.isTTY === true })
    let answered = false
    output.write(prompt)
    if (input.isTTY) {
      // Keep typed characters off the screen.
      ;(rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => undefined
    }
    rl.once('line', (line) => {
      answered = true
      rl.close()
      if (input.isTTY) {
        output.write('\n')
      }
      resolve(line)
    })
    rl.once('close', () => {
      if (!answered) {
        resolve(undefined)
      }
    })
  })
}
