// Converting an openGauss gs_tar stream into standard POSIX tar on the fly, so backups are always
// readable by GNU tar. Type '3' links (targets relative to the data directory) become relative
// symlinks from the link's own directory, which resolve to the same place once extracted.
import { posix } from 'node:path'
import { Duplex, PassThrough } from 'node:stream'
import type { Readable } from 'node:stream'
import type { ChecksumAlgorithm } from './checksum.js'
import { readTar } from './tar-reader.js'
import { createTarPacker } from './tar-pack.js'
import type { TarHeader } from './tar-entry.js'

export interface GsTarToTarOptions {
  /** Name in error messages. */
  readonly archive?: string
  /** gs_tar stores no times: the mtime given to every entry. Default: now. */
  readonly mtime?: Date
  /** Checksum each file for a backup_manifest (reported through onFile). Default NONE. */
  readonly checksum?: ChecksumAlgorithm
  /** Called after each regular file is written, e.g. to add it to a ManifestBuilder. */
  readonly onFile?: (file: ConvertedFile) => void
}

export interface ConvertedFile {
  readonly name: string
  readonly size: number
  readonly mtime: Date
  /** Hex, '' with NONE. */
  readonly checksum: string
}

/** The symlink target a gs_tar link should have in a POSIX tar. */
export function convertedLinkTarget(header: Pick<TarHeader, 'name' | 'linkname' | 'linkRelativeToRoot'>): string {
  if (!header.linkRelativeToRoot) {
    return header.linkname
  }
  const target = posix.normalize(header.linkname.replace(/^\/+/, '')).replace(/\/+$/, '')
  return posix.relative(posix.dirname(header.name), target) || '.'
}

/** A Readable of POSIX tar bytes converted from gs_tar bytes, with backpressure end to end. */
export function gsTarToTar(source: AsyncIterable<Uint8Array>, options: GsTarToTarOptions = {}): Readable {
  const packer = createTarPacker()
  const mtime = options.mtime ?? new Date()
  const run = async (): Promise<void> => {
    for await (const { header, body } of readTar(source, { format: 'gs_tar', archive: options.archive ?? 'gs_tar stream' })) {
      if (header.type === 'symlink') {
        await packer.add({ name: header.name, type: 'symlink', linkname: convertedLinkTarget(header), mode: 0o777, mtime })
      } else if (header.type === 'directory') {
        await packer.add({ name: header.name, type: 'directory', mode: header.mode, mtime })
      } else {
        const added = await packer.add({ name: header.name, type: 'file', size: header.size, mode: header.mode, mtime }, body, {
          checksum: options.checksum ?? 'NONE',
        })
        options.onFile?.({ name: header.name, size: added.size, mtime, checksum: added.checksum })
      }
    }
    packer.finalize()
  }
  run().catch((error: unknown) => packer.destroy(error as Error))
  return packer.stream
}

/** The same conversion as a Duplex for pipelines: gs_tar bytes in, POSIX tar bytes out. */
export function createGsTarConverter(options: GsTarToTarOptions = {}): Duplex {
  const input = new PassThrough()
  return Duplex.from({ writable: input, readable: gsTarToTar(input, options) })
}
