// A WAL repository on any @tidemark/storage driver (an s3:// bucket, or a directory through
// PosixStorage), with exactly the directory repository's key layout (docs/wal-repository.md):
//
//   tidemark-wal.json                         identity
//   wal/history/TTTTTTTT.history              timeline histories
//   wal/TTTTTTTTLLLLLLLL/<name>               segments, partials, backup history files
//
// so either implementation reads what the other wrote. Identity and archived files are written with
// create-only puts (If-None-Match on S3, or the claim protocol where the server lacks it; link(2) on
// a directory): a second writer of a name never replaces the first.
//
// Only types come from @tidemark/storage: storage errors are recognised by their code, so this module
// never loads the storage package (and the S3 SDK) itself.
import type { Readable } from 'node:stream'
import type { Storage } from '@tidemark/storage'
import { decodeArchivedHeader, encodeArchivedHeader, MAX_HEADER_LENGTH, type ArchivedWalInfo } from './archived-file.js'
import { encodeIdentity, HISTORY_DIR, IDENTITY_FILE, parseIdentity, WAL_DIR } from './directory-repository.js'
import { WalRepositoryError } from './errors.js'
import { classifyWalFileName, parseWalFileName } from './wal-file-name.js'
import type { ArchivedWal, RepositoryIdentity, WalRepository } from './wal-repository.js'

const STORAGE_EXISTS = 'TIDEMARK_ERR_STORAGE_EXISTS'
const STORAGE_NOT_FOUND = 'TIDEMARK_ERR_STORAGE_NOT_FOUND'
const SUBDIRECTORY = /^(?:[0-9A-F]{16}|history)$/

export class StorageWalRepository implements WalRepository {
  readonly location: string
  readonly #storage: Storage

  constructor(storage: Storage) {
    this.#storage = storage
    this.location = storage.url
  }

  /** The key of an archived name; the name is validated first, so no key escapes wal/. */
  keyOf(name: string): string {
    const parsed = parseWalFileName(name)
    const sub = parsed.kind === 'history' ? HISTORY_DIR : (parsed.segment ?? '').slice(0, 16)
    return `${WAL_DIR}/${sub}/${name}`
  }

  async readIdentity(): Promise<RepositoryIdentity | undefined> {
    const bytes = await this.#readKey(IDENTITY_FILE)
    return bytes === undefined ? undefined : parseIdentity(bytes.toString('utf8'), `${this.location}/${IDENTITY_FILE}`)
  }

  async bindIdentity(identity: RepositoryIdentity): Promise<RepositoryIdentity> {
    try {
      await this.#storage.put(IDENTITY_FILE, encodeIdentity(identity), { createOnly: true })
    } catch (error) {
      // Another push bound it first: its identity is the one in force.
      if (storageCode(error) !== STORAGE_EXISTS) {
        throw error
      }
    }
    const bound = await this.readIdentity()
    if (!bound) {
      throw new WalRepositoryError(`${this.location}: ${IDENTITY_FILE} vanished right after it was written`)
    }
    return bound
  }

  async head(name: string): Promise<ArchivedWalInfo | undefined> {
    const key = this.keyOf(name)
    const bytes = await this.#readKey(key, MAX_HEADER_LENGTH)
    return bytes === undefined ? undefined : decodeArchivedHeader(bytes, `${this.location}/${key}`).info
  }

  async read(name: string): Promise<ArchivedWal | undefined> {
    const key = this.keyOf(name)
    const bytes = await this.#readKey(key)
    if (bytes === undefined) {
      return undefined
    }
    const { info, payloadOffset } = decodeArchivedHeader(bytes, `${this.location}/${key}`)
    return { info, payload: bytes.subarray(payloadOffset) }
  }

  async putIfAbsent(name: string, info: ArchivedWalInfo, payload: Uint8Array): Promise<'stored' | 'exists'> {
    const header = encodeArchivedHeader(info)
    const body = Buffer.concat([header, payload])
    try {
      await this.#storage.put(this.keyOf(name), body, { createOnly: true, size: body.byteLength })
      return 'stored'
    } catch (error) {
      if (storageCode(error) === STORAGE_EXISTS) {
        return 'exists'
      }
      throw error
    }
  }

  async list(): Promise<string[]> {
    const names: string[] = []
    // storage.list pages through the whole listing (S3: 1000 keys a request).
    for await (const object of this.#storage.list(`${WAL_DIR}/`)) {
      const parts = object.key.split('/')
      const [, sub, name] = parts
      if (parts.length === 3 && sub && name && SUBDIRECTORY.test(sub) && classifyWalFileName(name) && this.keyOf(name) === object.key) {
        names.push(name)
      }
    }
    return names.sort()
  }

  async remove(name: string): Promise<void> {
    await this.#storage.delete([this.keyOf(name)])
  }

  /** Releases the storage's sockets and handles. */
  async close(): Promise<void> {
    await this.#storage.close()
  }

  /** The key's bytes (the first `limit` of them when given), or undefined when the key is missing. */
  async #readKey(key: string, limit?: number): Promise<Buffer | undefined> {
    let stream: Readable
    try {
      stream = await this.#storage.get(key, limit === undefined ? {} : { range: { start: 0, end: limit - 1 } })
    } catch (error) {
      if (storageCode(error) !== STORAGE_NOT_FOUND) {
        throw error
      }
      if (isMissingBucket(error)) {
        throw new WalRepositoryError(`${this.location}: the bucket does not exist; check --repo and the endpoint`, { cause: error })
      }
      return undefined
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk)
      size += chunk.length
      if (limit !== undefined && size >= limit) {
        stream.destroy()
        break
      }
    }
    return Buffer.concat(chunks)
  }
}

function storageCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : undefined
}

/** A missing bucket is a misconfiguration, never "this WAL file is not archived". */
function isMissingBucket(error: unknown): boolean {
  return (error as { cause?: { name?: unknown } } | undefined)?.cause?.name === 'NoSuchBucket'
}
