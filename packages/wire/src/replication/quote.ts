// Quoting for replication-command text: identifiers in "…" and literals in '…', doubling the quote
// (the replication scanner understands only doubled quotes).
import { ConnInfoError } from '../errors.js'

export function quoteIdentifier(name: string): string {
  if (name === '' || name.includes('\0')) {
    throw new ConnInfoError('a replication slot name must be non-empty and contain no NUL')
  }
  return `"${name.replaceAll('"', '""')}"`
}

export function quoteLiteral(text: string): string {
  if (text.includes('\0')) {
    throw new ConnInfoError('a replication command literal cannot contain NUL')
  }
  return `'${text.replaceAll("'", "''")}'`
}
