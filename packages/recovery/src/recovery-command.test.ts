import { describe, expect, it } from 'vitest'
import { RecoveryValueError } from './errors.js'
import { checkRecoveryCommand } from './recovery-command.js'

describe('checkRecoveryCommand', () => {
  it('accepts the escapes the server replaces for each command', () => {
    expect(checkRecoveryCommand('restore_command', 'cp /a/%f "%p" # %r %%')).toBe('cp /a/%f "%p" # %r %%')
    expect(checkRecoveryCommand('archive_cleanup_command', 'pg_archivecleanup /a %r')).toBe('pg_archivecleanup /a %r')
    expect(checkRecoveryCommand('recovery_end_command', 'echo done\t%r')).toBe('echo done\t%r')
  })

  it('refuses escapes the server does not replace there', () => {
    expect(() => checkRecoveryCommand('archive_cleanup_command', 'rm %f')).toThrow(/holds %f; the server replaces only %r there/)
    expect(() => checkRecoveryCommand('restore_command', 'date +%s; cp %f %p')).toThrow(/write %% for a literal percent sign/)
    expect(() => checkRecoveryCommand('restore_command', 'cp %f %p 100%')).toThrow(/% at the end/)
  })

  it('refuses empty commands and line breaks', () => {
    expect(() => checkRecoveryCommand('restore_command', '  ')).toThrow(RecoveryValueError)
    expect(() => checkRecoveryCommand('restore_command', 'cp %f %p\nrm -rf /')).toThrow(/one line/)
  })
})
