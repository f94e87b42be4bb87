import { RecoveryValueError } from './errors.js'

export type RecoveryCommandKey = 'restore_command' | 'archive_cleanup_command' | 'recovery_end_command'

/** The recovery commands and the %-escapes the server replaces in each. */
export const COMMAND_ESCAPES: Readonly<Record<RecoveryCommandKey, readonly string[]>> = {
  restore_command: ['f', 'p', 'r'],
  archive_cleanup_command: ['r'],
  recovery_end_command: ['r'],
}

/**
 * Checks a recovery command: not empty, one line (the configuration file cannot hold a newline), and
 * only the %-escapes the server replaces for it (`%%` for a literal percent sign).
 */
export function checkRecoveryCommand(key: RecoveryCommandKey, command: string): string {
  if (command.trim() === '') {
    throw new RecoveryValueError(`${key} is empty`)
  }
  // Tabs are fine in a quoted configuration value; other control characters are not.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(command)) {
    throw new RecoveryValueError(`${key} must be one line without control characters`)
  }
  const allowed = COMMAND_ESCAPES[key]
  for (let index = 0; index < command.length; index += 1) {
    if (command[index] !== '%') {
      continue
    }
    const next = command[index + 1]
    if (next === '%' || (next !== undefined && allowed.includes(next))) {
      index += 1
      continue
    }
    const shown = next === undefined ? '% at the end' : `%${next}`
    throw new RecoveryValueError(
      `${key} holds ${shown}; the server replaces only ${allowed.map((letter) => `%${letter}`).join(' ')} there, ` +
        `write %% for a literal percent sign`
    )
  }
  return command
}
