import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { commandLine, commandWord, shellQuote } from './shell-quote.js'
import { substituteEscapes } from './testing/server-substitution.js'

/** Runs a command line with sh -c, as the server does, and returns the words the program got. */
function wordsSeenByShell(line: string): string[] {
  const script = `set -- ${line}; for word in "$@"; do printf '%s\\0' "$word"; done`
  return execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1)
}

const NASTY = [
  'plain',
  '/opt/my tools/bin/tidemark-wal',
  "it's",
  'a"b',
  '$HOME `id` $(id) \\ ; | & > <',
  'percent % and %f and %%',
  'tab\there',
  '*?[glob]',
  '',
  '~user',
  '-dash',
  'ünïcode path',
]

describe('shellQuote', () => {
  it('leaves safe words bare and quotes the rest', () => {
    expect(shellQuote('/usr/bin/node')).toBe('/usr/bin/node')
    expect(shellQuote('/opt/my tools/x')).toBe("'/opt/my tools/x'")
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
    expect(shellQuote('')).toBe("''")
  })

  it.each(NASTY)('gives sh -c back exactly %j', (word) => {
    expect(wordsSeenByShell(shellQuote(word))).toEqual([word])
  })
})

describe('commandWord and commandLine', () => {
  it('double % so the server substitution leaves the word intact, and keep the escapes live', () => {
    const line = commandLine(['/usr/bin/node', '/opt/my %f tools/tidemark-wal.js', 'get', '--repo', "/srv/wal repo's"], ['%f', '%p'])
    expect(line).toBe(`/usr/bin/node '/opt/my %%f tools/tidemark-wal.js' get --repo '/srv/wal repo'\\''s' %f %p`)
    const substituted = substituteEscapes(line, { f: '000000010000000000000001', p: 'pg_wal/RECOVERYXLOG' })
    expect(wordsSeenByShell(substituted)).toEqual([
      '/usr/bin/node',
      '/opt/my %f tools/tidemark-wal.js',
      'get',
      '--repo',
      "/srv/wal repo's",
      '000000010000000000000001',
      'pg_wal/RECOVERYXLOG',
    ])
  })

  it.each(NASTY)('survives substitution and sh -c: %j', (word) => {
    expect(wordsSeenByShell(substituteEscapes(commandWord(word), { f: 'F', p: 'P', r: 'R' }))).toEqual([word])
  })
})
