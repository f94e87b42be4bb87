// Rewrites a base archive on its way to disk so that it carries extra files (the standby
// configuration of -R), as pg_basebackup does in tar mode: postgresql.auto.conf (or openGauss's
// recovery.conf) replaced, standby.signal added. Entries are copied with backpressure.
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createCompressor, createTarPacker, openArchive, type CodecSpec } from '@tidemark/archive'
import { storeThrough, type ArchiveDestination } from './backup-output.js'
import { ByteCounter, drainRest, readAll } from './server-archive.js'

export interface RepackOptions {
  readonly destination: ArchiveDestination
  readonly gsTar: boolean
  readonly codec: CodecSpec | undefined
  readonly archive: string
  readonly onBytes?: ((bytes: number) => void) | undefined
  readonly signal?: AbortSignal | undefined
  /** The files to put in, given the archive's own postgresql.auto.conf / postgresql.conf. */
  readonly files: (existing: { autoConf?: string | undefined; postgresqlConf?: string | undefined }) => Array<{ name: string; content: string }>
}

const REPLACEABLE = new Set(['postgresql.auto.conf', 'postgresql.conf', 'recovery.conf', 'standby.signal'])

/** Copies the archive into a new tar file (or repository object) with the extra files; returns the bytes written. */
export async function repackWithFiles(source: Readable, options: RepackOptions): Promise<number> {
  const received = new ByteCounter(options.onBytes)
  source.on('error', (error) => received.destroy(error))
  const opened = await openArchive(source.pipe(received), { archive: options.archive, requireEndMarker: false })
  const packer = createTarPacker()
  const written = new ByteCounter()
  const stages: unknown[] = [packer.stream]
  if (options.codec && options.codec.codec !== 'none') {
    stages.push(createCompressor(options.codec))
  }
  stages.push(written, options.destination.stream)
  const runPipeline = pipeline as unknown as (...args: unknown[]) => Promise<void>
  const done = storeThrough(options.destination, runPipeline(...stages, ...(options.signal ? [{ signal: options.signal }] : [])))
  done.catch(() => undefined)
  const existing: { autoConf?: string; postgresqlConf?: string } = {}
  try {
    for await (const { header, body } of opened.entries) {
      if (header.type === 'file' && REPLACEABLE.has(header.name)) {
        const content = (await readAll(body)).toString('utf8')
        if (header.name === 'postgresql.auto.conf') {
          existing.autoConf = content
          continue
        }
        if (header.name === 'postgresql.conf') {
          existing.postgresqlConf = content
        }
        if (header.name === 'recovery.conf' || header.name === 'standby.signal') {
          continue
        }
        await packer.add({ name: header.name, size: Buffer.byteLength(content), mode: header.mode, mtime: header.mtime }, Buffer.from(content))
        continue
      }
      if (header.type === 'file') {
        await packer.add({ name: header.name, size: header.size, mode: header.mode, mtime: header.mtime }, body)
      } else if (header.type === 'directory') {
        await packer.add({ name: header.name, type: 'directory', mode: header.mode, mtime: header.mtime })
      } else if (header.type === 'symlink' || header.type === 'link') {
        await packer.add({ name: header.name, type: header.type, linkname: header.linkname, mode: header.mode, mtime: header.mtime })
      }
    }
    const mtime = new Date()
    for (const file of options.files(existing)) {
      // postgresql.conf is already in the archive: a changed one replaces nothing here (ports are not set by -R).
      if (file.name === 'postgresql.conf') {
        continue
      }
      await packer.add({ name: file.name, size: Buffer.byteLength(file.content), mode: 0o600, mtime }, Buffer.from(file.content))
    }
    packer.finalize()
    await drainRest(source)
  } catch (error) {
    packer.destroy(error as Error)
    await done.catch(() => undefined)
    throw error
  }
  await done
  return written.bytes
}
