// What the server does to a recovery command before `sh -c` (BuildRestoreCommand / shell_archive):
// %f, %p, %r replaced, %% becomes %, any other %x kept as it is.
export function substituteEscapes(command: string, values: { f?: string; p?: string; r?: string }): string {
  let out = ''
  for (let index = 0; index < command.length; index += 1) {
    const char = command[index]
    const next = command[index + 1]
    if (char === '%' && next !== undefined) {
      if (next === '%') {
        out += '%'
        index += 1
        continue
      }
      const value = values[next as 'f' | 'p' | 'r']
      if (value !== undefined) {
        out += value
        index += 1
        continue
      }
    }
    out += char
  }
  return out
}
