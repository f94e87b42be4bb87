// Lists member names of a ustar stream (test helper; the archive package owns real tar parsing).
const BLOCK = 512
const NAME_END = 100
const SIZE_OFFSET = 124
const SIZE_LENGTH = 12
const PREFIX_OFFSET = 345
const PREFIX_END = 500

export function tarNames(tar: Buffer): string[] {
  return tarFiles(tar).map((file) => file.name)
}

/** The members of a ustar stream with their contents. */
export function tarFiles(tar: Buffer): Array<{ name: string; data: Buffer }> {
  const files: Array<{ name: string; data: Buffer }> = []
  let offset = 0
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK)
    if (header.every((byte) => byte === 0)) {
      break
    }
    const cut = (start: number, end: number): string => {
      const text = header.toString('latin1', start, end)
      const nul = text.indexOf('\0')
      return nul >= 0 ? text.slice(0, nul) : text
    }
    const prefix = cut(PREFIX_OFFSET, PREFIX_END)
    const name = cut(0, NAME_END)
    const size = parseInt(cut(SIZE_OFFSET, SIZE_OFFSET + SIZE_LENGTH).trim() || '0', 8)
    files.push({ name: prefix ? `${prefix}/${name}` : name, data: tar.subarray(offset + BLOCK, offset + BLOCK + size) })
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK
  }
  return files
}
