// Values in the server's configuration-file syntax (guc-file.l): a quoted string doubles ' and
// escapes \ (the file parser reads \b \f \n \r \t, octal \ooo, and \x as x), exactly what ALTER SYSTEM writes.

/** A value as a quoted configuration-file string: `it's C:\x` → `'it''s C:\\x'`. */
export function quoteGucValue(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }

/** The value of a quoted string without its quotes, as the server reads it. */
export function unquoteGucValue(inner: string): string {
  let out = ''
  for (let index = 0; index < inner.length; index += 1) {
    const char = inner[index] ?? ''
    if (char === '\\') {
      const next = inner[index + 1] ?? ''
      index += 1
      const simple = SIMPLE_ESCAPES[next]
      if (simple !== undefined) {
        out += simple
      } else if (next >= '0' && next <= '7') {
        let digits = next
        while (digits.length < 3 && /[0-7]/.test(inner[index + 1] ?? '')) {
          index += 1
          digits += inner[index]
        }
        out += String.fromCharCode(Number.parseInt(digits, 8) & 0xff)
      } else {
        out += next
      }
    } else if (char === "'" && inner[index + 1] === "'") {
      out += "'"
      index += 1
    } else {
      out += char
    }
  }
  return out
}
