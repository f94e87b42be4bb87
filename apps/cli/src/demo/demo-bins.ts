// The demo runs the real, built command lines as child processes: apps/cli/bin/tidemark.js with
// this node, as a user would.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** apps/cli/bin/tidemark.js, from dist/demo/ or src/demo/. */
export const TIDEMARK_BIN: string = fileURLToPath(new URL('../../bin/tidemark.js', import.meta.url))

export interface BinRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `tidemark <args>`; its output is echoed indented when `echo` is given. */
export function runTidemark(args: readonly string[], echo?: (line: string) => void): Promise<BinRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TIDEMARK_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const lines = (text: string): void => {
      for (const line of text.split('\n').filter((part) => part.trim() !== '')) {
        echo?.(line)
      }
    }
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      lines(chunk)
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      lines(chunk)
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}
