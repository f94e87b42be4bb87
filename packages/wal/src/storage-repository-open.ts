// Opens a WAL repository on object storage (s3://bucket/prefix) lazily: the storage package, and
// with it the S3 SDK, is imported on the first call, so opening stays synchronous and a directory
// repository never pays for loading the SDK (tidemark-wal's bundle keeps it in a file of its own).
import type { ArchivedWalInfo } from './archived-file.js'
import { StorageWalRepository } from './storage-repository.js'
import type { ArchivedWal, RepositoryIdentity, WalRepository } from './wal-repository.js'

/** The S3 flags (--s3-endpoint, --s3-region, --s3-profile, --s3-path-style) as commander gives them. */
export interface WalS3Flags {
  readonly s3Endpoint?: string | undefined
  readonly s3Region?: string | undefined
  readonly s3Profile?: string | undefined
  readonly s3PathStyle?: string | boolean | undefined
}

/** A WalRepository that opens its storage on first use; close() releases it. */
export class LazyStorageWalRepository implements WalRepository {
  readonly location: string
  readonly #flags: WalS3Flags
  readonly #env: NodeJS.ProcessEnv
  #opened: Promise<StorageWalRepository> | undefined

  constructor(location: string, flags: WalS3Flags = {}, env: NodeJS.ProcessEnv = process.env) {
    this.location = location
    this.#flags = flags
    this.#env = env
  }

  async readIdentity(): Promise<RepositoryIdentity | undefined> {
    return (await this.#repository()).readIdentity()
  }

  async bindIdentity(identity: RepositoryIdentity): Promise<RepositoryIdentity> {
    return (await this.#repository()).bindIdentity(identity)
  }

  async head(name: string): Promise<ArchivedWalInfo | undefined> {
    return (await this.#repository()).head(name)
  }

  async read(name: string): Promise<ArchivedWal | undefined> {
    return (await this.#repository()).read(name)
  }

  async putIfAbsent(name: string, info: ArchivedWalInfo, payload: Uint8Array): Promise<'stored' | 'exists'> {
    return (await this.#repository()).putIfAbsent(name, info, payload)
  }

  async list(): Promise<string[]> {
    return (await this.#repository()).list()
  }

  async remove(name: string): Promise<void> {
    return (await this.#repository()).remove(name)
  }

  async close(): Promise<void> {
    const opened = this.#opened
    this.#opened = undefined
    if (opened) {
      await (await opened).close()
    }
  }

  #repository(): Promise<StorageWalRepository> {
    if (!this.#opened) {
      const opening = (async () => {
        const { openStorage, s3OptionsFromFlags } = await import('@tidemark/storage')
        const storage = await openStorage(this.location, { s3: s3OptionsFromFlags(this.#flags, this.#env) })
        return new StorageWalRepository(storage)
      })()
      // A failed open (bad flags, unknown profile) is reported by every call, not kept.
      opening.catch(() => {
        if (this.#opened === opening) {
          this.#opened = undefined
        }
      })
      this.#opened = opening
    }
    return this.#opened
  }
}
