// The token file: one bearer token per line (blank lines and # comments ignored). It must not be
// readable by group or others, like a private key.
import { readFile, stat } from 'node:fs/promises'
import { AgentTokenFileError } from '../errors.js'

const MIN_TOKEN_LENGTH = 16

export async function readTokenFile(path: string): Promise<string[]> {
  let mode: number
  let text: string
  try {
    mode = (await stat(path)).mode
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new AgentTokenFileError(`token file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: error,
    })
  }
  if ((mode & 0o077) !== 0) {
    throw new AgentTokenFileError(
      `token file ${path} is readable or writable by group or others (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${path}`
    )
  }
  return parseTokens(text, path)
}

export function parseTokens(text: string, path: string): string[] {
  const tokens = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
  if (tokens.length === 0) {
    throw new AgentTokenFileError(`token file ${path} holds no token (one token per line)`)
  }
  const short = tokens.findIndex((token) => token.length < MIN_TOKEN_LENGTH || /\s/.test(token))
  if (short >= 0) {
    throw new AgentTokenFileError(
      `token file ${path}: token ${short + 1} is shorter than ${MIN_TOKEN_LENGTH} characters or contains spaces`
    )
  }
  return tokens
}
