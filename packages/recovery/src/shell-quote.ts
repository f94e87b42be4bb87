// Quoting for the shell the server runs recovery commands with (`sh -c` on Unix).

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/

/** One POSIX shell word: left bare when safe, otherwise single-quoted with ' written as '\''. */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) {
    return word
  }
  return `'${word.replaceAll("'", `'\\''`)}'`
}

/**
 * One word of a recovery command (restore_command and friends): shell-quoted, and `%` doubled so
 * the server's %f/%p/%r replacement leaves it alone (a path with `%f` in it stays that path).
 */
export function commandWord(word: string): string {
  return shellQuote(word).replaceAll('%', '%%')
}

/** A %-escape the server replaces in a recovery command. */
export type CommandEscape = '%f' | '%p' | '%r'

/**
 * A recovery command line: each word quoted with commandWord, then the escapes as they are, e.g.
 * `commandLine(['/opt/my tools/tidemark-wal', 'get'], ['%f', '%p'])` → `'/opt/my tools/tidemark-wal' get %f %p`.
 */
export function commandLine(words: readonly string[], escapes: readonly CommandEscape[] = []): string {
  return [...words.map(commandWord), ...escapes].join(' ')
}
