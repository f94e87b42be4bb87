// Builders of test archives: not exported from the package.
import { encodeGsTarHeader } from '../gs-tar-header.js'
import type { GsTarType } from '../gs-tar-header.js'
import type { TarEntry, TarHeader } from '../tar-entry.js'
import { createTarPacker } from '../tar-pack.js'
import type { TarEntryInput } from '../tar-pack.js'
import { collect, sampleBytes } from './streams.js'

export interface GsEntry {
  name: string
  type: GsTarType
  mode: number
  data?: Buffer
  linkname?: string
}

/** A raw gs_tar stream as the openGauss server sends it: 2560-byte headers, 512-byte padding, no end. */
export function buildGsTar(entries: GsEntry[]): Buffer {
  const parts: Buffer[] = []
  for (const entry of entries) {
    const data = entry.data ?? Buffer.alloc(0)
    parts.push(encodeGsTarHeader({ name: entry.name, mode: entry.mode, size: data.length, type: entry.type, linkname: entry.linkname ?? '' }))
    parts.push(data, Buffer.alloc((512 - (data.length % 512)) % 512))
  }
  return Buffer.concat(parts)
}

export async function buildTar(entries: Array<[TarEntryInput, Buffer?]>): Promise<Buffer> {
  const packer = createTarPacker()
  const bytes = collect(packer.stream)
  for (const [input, body] of entries) {
    await packer.add(input, body)
  }
  packer.finalize()
  return bytes
}

export interface ReadEntry {
  header: TarHeader
  data: Buffer
}

export async function readAll(entries: AsyncIterable<TarEntry>): Promise<ReadEntry[]> {
  const out: ReadEntry[] = []
  for await (const { header, body } of entries) {
    out.push({ header, data: await collect(body) })
  }
  return out
}

/** The bytes as an async iterable of pieces of `size` (or cut at the given offsets). */
export async function* pieces(data: Buffer, size: number | number[]): AsyncGenerator<Buffer> {
  if (typeof size === 'number') {
    for (let i = 0; i < data.length; i += size) {
      yield data.subarray(i, i + size)
    }
    return
  }
  let start = 0
  for (const cut of [...size, data.length]) {
    yield data.subarray(start, cut)
    start = cut
  }
}

export const SAMPLE_MTIME: Date = new Date(Date.UTC(2022, 1, 3, 4, 5, 6))
export const SAMPLE_LONG_NAME: string = `${'d'.repeat(120)}/${'e'.repeat(80)}/${'f'.repeat(150)}`

/** A small archive with a directory, files (one with a long name), a symlink and `extra` entries before the last file. */
export async function sampleTar(extra: Array<[TarEntryInput, Buffer?]> = []): Promise<Buffer> {
  return buildTar([
    [{ name: 'global', type: 'directory', mtime: SAMPLE_MTIME }],
    [{ name: 'global/pg_control', mode: 0o600, mtime: SAMPLE_MTIME }, sampleBytes(8192)],
    [{ name: SAMPLE_LONG_NAME, mode: 0o640, mtime: SAMPLE_MTIME }, sampleBytes(1000, 5)],
    [{ name: 'pg_tblspc/16384', type: 'symlink', linkname: `/srv/${'t'.repeat(130)}`, mtime: SAMPLE_MTIME }],
    ...extra,
    [{ name: 'odd', mtime: SAMPLE_MTIME }, Buffer.from('x')],
  ])
}
