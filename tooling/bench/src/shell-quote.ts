/** Quotes one word for /bin/sh (single quotes; a quote inside becomes '\''). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}

/**
 * Fills a command-line template the way PostgreSQL fills archive_command and restore_command:
 * %p the path, %f the file name, %% a percent sign; {name} placeholders come from vars.
 */
export function fillCommand(template: string, vars: Readonly<Record<string, string>>): string {
  const braces = template.replace(/\{([a-z]+)\}/g, (whole, name: string) => {
    const value = vars[name]
    return value === undefined ? whole : shellQuote(value)
  })
  return braces.replace(/%([pf%])/g, (whole, letter: string) => {
    if (letter === '%') {
      return '%'
    }
    const value = vars[letter]
    return value === undefined ? whole : shellQuote(value)
  })
}
