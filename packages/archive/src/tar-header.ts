// Pure decoding of 512-byte POSIX tar headers (ustar, GNU, v7), pax records and GNU long names.
// No I/O: the reader (tar-reader.ts) frames blocks and applies pax/long-name overrides.

export const TAR_BLOCK = 512

/** The decoded fields of one header block, before pax or GNU long-name overrides. */
export interface RawTarHeader {
  name: string
  mode: number
  uid: number
  gid: number
  size: number
  mtime: number
  /** The typeflag character; '\0' is normalised to '0'. */
  typeflag: string
  linkname: string
  uname: string
  gname: string
}

/** A header that is not valid; the reader adds the archive name and offset. */
export class TarHeaderError extends Error {}

function decodeString(block: Uint8Array, offset: number, length: number): string {
  let end = offset
  const limit = offset + length
  while (end < limit && block[end] !== 0) {
    end++
  }
  return Buffer.from(block.buffer, block.byteOffset + offset, end - offset).toString('utf8')
}

/** An octal field (NUL/space padded), or a GNU base-256 field (high bit set). */
export function decodeNumber(block: Uint8Array, offset: number, length: number, field: string): number {
  const first = block[offset] as number
  if (first & 0x80) {
    if (first !== 0x80) {
      throw new TarHeaderError(`negative or oversized base-256 ${field}`)
    }
    let value = 0
    for (let i = offset + 1; i < offset + length; i++) {
      value = value * 256 + (block[i] as number)
    }
    if (!Number.isSafeInteger(value)) {
      throw new TarHeaderError(`${field} too large`)
    }
    return value
  }
  let i = offset
  const end = offset + length
  while (i < end && (block[i] === 0x20 || block[i] === 0)) {
    i++
  }
  let value = 0
  let digits = 0
  for (; i < end; i++) {
    const byte = block[i] as number
    if (byte >= 0x30 && byte <= 0x37) {
      value = value * 8 + (byte - 0x30)
      digits++
    } else if (byte === 0x20 || byte === 0) {
      break
    } else {
      throw new TarHeaderError(`invalid octal ${field}`)
    }
  }
  for (; i < end; i++) {
    if (block[i] !== 0x20 && block[i] !== 0) {
      throw new TarHeaderError(`invalid octal ${field}`)
    }
  }
  return digits === 0 ? 0 : value
}

/** The header checksum: the sum of all bytes with the checksum field read as spaces. */
export function headerChecksum(block: Uint8Array): number {
  let sum = 8 * 0x20
  for (let i = 0; i < TAR_BLOCK; i++) {
    if (i < 148 || i >= 156) {
      sum += block[i] as number
    }
  }
  return sum
}

export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < block.length; i++) {
    if (block[i] !== 0) {
      return false
    }
  }
  return true
}

/** Whether a 512-byte block is a valid tar header (checksum matches). */
export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < TAR_BLOCK || isZeroBlock(block.subarray(0, TAR_BLOCK))) {
    return false
  }
  try {
    return decodeNumber(block, 148, 8, 'checksum') === headerChecksum(block)
  } catch {
    return false
  }
}

/** Decodes one header block; null for an all-zero block (end of archive). */
export function decodeTarHeader(block: Uint8Array): RawTarHeader | null {
  if (isZeroBlock(block)) {
    return null
  }
  const stored = decodeNumber(block, 148, 8, 'checksum')
  if (stored !== headerChecksum(block)) {
    throw new TarHeaderError('header checksum mismatch (not a tar archive, or still compressed?)')
  }
  let name = decodeString(block, 0, 100)
  const magic = Buffer.from(block.buffer, block.byteOffset + 257, 6).toString('latin1')
  if (magic === 'ustar\0' && block[345] !== 0) {
    name = `${decodeString(block, 345, 155)}/${name}`
  }
  const rawType = block[156] as number
  let typeflag = rawType === 0 ? '0' : String.fromCharCode(rawType)
  if (typeflag === '0' && name.endsWith('/')) {
    typeflag = '5'
  }
  const isUstar = magic.startsWith('ustar')
  return {
    name,
    mode: decodeNumber(block, 100, 8, 'mode'),
    uid: decodeNumber(block, 108, 8, 'uid'),
    gid: decodeNumber(block, 116, 8, 'gid'),
    size: decodeNumber(block, 124, 12, 'size'),
    mtime: decodeNumber(block, 136, 12, 'mtime'),
    typeflag,
    linkname: decodeString(block, 157, 100),
    uname: isUstar ? decodeString(block, 265, 32) : '',
    gname: isUstar ? decodeString(block, 297, 32) : '',
  }
}

/** Decodes pax extended header records (`LEN key=value\n`, lengths in bytes). */
export function decodePaxRecords(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>()
  let offset = 0
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  while (offset < bytes.length) {
    if (bytes[offset] === 0) {
      break
    }
    const space = bytes.indexOf(0x20, offset)
    if (space === -1) {
      throw new TarHeaderError('malformed pax record')
    }
    const length = Number(bytes.toString('latin1', offset, space))
    if (!Number.isInteger(length) || length <= space - offset || offset + length > bytes.length || bytes[offset + length - 1] !== 0x0a) {
      throw new TarHeaderError('malformed pax record length')
    }
    const record = bytes.toString('utf8', space + 1, offset + length - 1)
    const equals = record.indexOf('=')
    if (equals <= 0) {
      throw new TarHeaderError('malformed pax record')
    }
    records.set(record.slice(0, equals), record.slice(equals + 1))
    offset += length
  }
  return records
}

/** A GNU long name/link body: the name up to its first NUL. */
export function decodeLongName(data: Uint8Array): string {
  return decodeString(data, 0, data.length)
}
