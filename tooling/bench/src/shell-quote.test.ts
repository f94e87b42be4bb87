import { describe, expect, it } from 'vitest'
import { fillCommand, shellQuote } from './shell-quote.js'

describe('shellQuote', () => {
  it('leaves plain paths alone', () => {
    expect(shellQuote('/tmp/a-b/c_d.conf')).toBe('/tmp/a-b/c_d.conf')
  })

  it('single-quotes words with spaces and quotes', () => {
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`)
  })
})

describe('fillCommand', () => {
  it('fills %p, %f and {repo} the way PostgreSQL fills archive_command', () => {
    expect(fillCommand('push --repo {repo} %p %f', { repo: '/r', p: 'pg_wal/0001', f: '0001' })).toBe('push --repo /r pg_wal/0001 0001')
  })

  it('turns %% into a percent sign and leaves unknown placeholders', () => {
    expect(fillCommand('echo 100%% {other}', {})).toBe('echo 100% {other}')
  })

  it('quotes filled values', () => {
    expect(fillCommand('cp %p {out}', { p: 'a b', out: '/x' })).toBe("cp 'a b' /x")
  })
})
