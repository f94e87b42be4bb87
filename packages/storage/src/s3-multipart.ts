// Multipart upload of a stream: parts are read one at a time from the stream and uploaded by a fixed
// number of workers, so memory holds at most one part per worker whatever the object's size. Any
// failure aborts the upload, so no invisible parts are left to pay for.
import type { PartReader } from './body.js'
import { StorageIntegrityError, StorageUsageError } from './errors.js'
import { MAX_PARTS, partSize } from './part-size.js'

export interface CompletedPart {
  readonly PartNumber: number
  readonly ETag: string
}

export interface MultipartOps {
  create(): Promise<string>
  uploadPart(uploadId: string, partNumber: number, body: Buffer): Promise<string>
  complete(uploadId: string, parts: readonly CompletedPart[]): Promise<void>
  abort(uploadId: string): Promise<void>
}

export interface MultipartOptions {
  readonly key: string
  /** The announced size, if any: fixes the part size and is checked against the bytes read. */
  readonly size: number | undefined
  readonly basePartSize: number
  readonly parallelParts: number
}

/** Uploads `first` (part 1, already read) and the rest of reader; returns the object's size. */
export async function uploadMultipart(ops: MultipartOps, reader: PartReader, first: Buffer, options: MultipartOptions): Promise<number> {
  const uploadId = await ops.create()
  const etags: string[] = []
  let pendingFirst: Buffer | undefined = first
  let nextNumber = 2
  let failure: unknown
  let readChain: Promise<unknown> = Promise.resolve()

  // Buffers of uploaded parts, reused for the next parts: memory stays at one buffer per worker.
  const spare: Buffer[] = []
  const takeSpare = (size: number): Buffer | undefined => {
    const buffer = spare.pop()
    return buffer?.length === size ? buffer : undefined
  }

  const readPart = (): Promise<{ number: number; body: Buffer } | undefined> => {
    const read = readChain.then(async () => {
      if (failure !== undefined) {
        return undefined
      }
      if (pendingFirst) {
        const body = pendingFirst
        pendingFirst = undefined
        return { number: 1, body }
      }
      if (nextNumber > MAX_PARTS) {
        if (!(await reader.atEnd())) {
          throw new StorageUsageError(`${options.key}: the stream is larger than ${MAX_PARTS} parts can hold; give its size`)
        }
        return undefined
      }
      const size = partSize(nextNumber, options.size, options.basePartSize)
      const body = await reader.next(size, takeSpare(size))
      return body.length === 0 ? undefined : { number: nextNumber++, body }
    })
    readChain = read.catch(() => undefined)
    return read
  }

  const worker = async (): Promise<void> => {
    for (;;) {
      const part = await readPart()
      if (!part) {
        return
      }
      etags[part.number - 1] = await ops.uploadPart(uploadId, part.number, part.body)
      // A short (last) part is a view of its buffer: recycle the whole buffer.
      spare.push(Buffer.from(part.body.buffer, part.body.byteOffset, part.body.buffer.byteLength - part.body.byteOffset))
    }
  }

  try {
    await Promise.all(
      Array.from({ length: options.parallelParts }, () =>
        worker().catch((error: unknown) => {
          failure ??= error
        })
      )
    )
    if (failure !== undefined) {
      throw failure
    }
    const size = reader.bytesRead
    if (options.size !== undefined && size !== options.size) {
      throw new StorageIntegrityError(`${options.key}: the body had ${size} bytes, ${options.size} were announced; nothing was stored`)
    }
    const parts = etags.map((ETag, index) => ({ PartNumber: index + 1, ETag }))
    if (parts.length !== nextNumber - 1 || parts.some((p) => !p.ETag)) {
      throw new StorageIntegrityError(`${options.key}: a part of the multipart upload has no ETag; nothing was stored`)
    }
    await ops.complete(uploadId, parts)
    return size
  } catch (error) {
    await ops.abort(uploadId).catch(() => undefined)
    throw error
  }
}
