// openGauss gs_tar headers (basebackup.cpp _tarWriteHeader, gs_tar_const.h): 2560 zero-filled
// bytes, no magic, checksum, owner or mtime. Name [0,1024) NUL-terminated (directories and links
// end with '/'), mode [1024,1032) "%07o ", size [1048,1059) 11 octal digits, type [1080]
// ('0' file, '5' directory, '2' symlink with an absolute target, '3' symlink whose target is
// relative to PGDATA), link target [1081,2104). Data follows, padded to 512 bytes.
import { TarHeaderError, decodeNumber, isZeroBlock } from './tar-header.js'

export const GS_TAR_HEADER_SIZE = 2560
const NAME = [0, 1024] as const
const MODE = [1024, 8] as const
const SIZE = [1048, 11] as const
const TYPE = 1080
const LINK = [1081, 1023] as const

export type GsTarType = '0' | '2' | '3' | '5'

export interface GsTarHeader {
  /** Without the trailing '/' of directories and links. */
  readonly name: string
  readonly mode: number
  readonly size: number
  readonly type: GsTarType
  readonly linkname: string
}

function text(block: Uint8Array, offset: number, length: number): string {
  const slice = Buffer.from(block.buffer, block.byteOffset + offset, length)
  const end = slice.indexOf(0)
  return slice.toString('utf8', 0, end === -1 ? length : end)
}

/** Decodes one 2560-byte header; null for an all-zero header. Throws TarHeaderError when invalid. */
export function decodeGsTarHeader(block: Uint8Array): GsTarHeader | null {
  if (block.length !== GS_TAR_HEADER_SIZE) {
    throw new TarHeaderError(`gs_tar header must be ${GS_TAR_HEADER_SIZE} bytes`)
  }
  if (isZeroBlock(block)) {
    return null
  }
  const type = String.fromCharCode(block[TYPE] as number)
  if (type !== '0' && type !== '2' && type !== '3' && type !== '5') {
    throw new TarHeaderError(`unknown gs_tar entry type ${JSON.stringify(type)}`)
  }
  const rawName = text(block, NAME[0], NAME[1])
  if (rawName === '' || block[NAME[1] - 1] !== 0) {
    throw new TarHeaderError('gs_tar header without a NUL-terminated name')
  }
  const name = type === '0' ? rawName : rawName.replace(/\/+$/, '')
  const size = decodeNumber(block, SIZE[0], SIZE[1], 'size')
  return {
    name,
    mode: decodeNumber(block, MODE[0], MODE[1], 'mode') & 0o7777,
    size: type === '0' ? size : 0,
    type,
    linkname: type === '2' || type === '3' ? text(block, LINK[0], LINK[1]) : '',
  }
}

/** Encodes a header as the openGauss server writes it (for tests and the protocol simulator). */
export function encodeGsTarHeader(header: { name: string; mode: number; size: number; type: GsTarType; linkname?: string }): Buffer {
  const block = Buffer.alloc(GS_TAR_HEADER_SIZE)
  const name = header.type === '0' || header.name.endsWith('/') ? header.name : `${header.name}/`
  if (Buffer.byteLength(name) > NAME[1] - 1 || Buffer.byteLength(header.linkname ?? '') > LINK[1]) {
    throw new RangeError('gs_tar name or link target too long')
  }
  block.write(name, NAME[0], 'utf8')
  block.write(`${header.mode.toString(8).padStart(7, '0')} `, MODE[0], 'latin1')
  block.write(header.size.toString(8).padStart(11, '0'), SIZE[0], 'latin1')
  block[TYPE] = header.type.charCodeAt(0)
  if (header.linkname) {
    block.write(header.linkname, LINK[0], 'utf8')
  }
  return block
}

/** Heuristic for detection: does this look like a gs_tar header? */
export function looksLikeGsTarHeader(block: Uint8Array): boolean {
  if (block.length < GS_TAR_HEADER_SIZE) {
    return false
  }
  try {
    const header = decodeGsTarHeader(block.subarray(0, GS_TAR_HEADER_SIZE))
    return header !== null && block[MODE[0] + 7] === 0x20 && !header.name.includes('\0')
  } catch {
    return false
  }
}
