// The S3-compatible driver (AWS S3, Ceph RGW, …) on @aws-sdk/client-s3. Every request has a deadline
// per attempt and retries with backoff and jitter (the SDK's own retries are off, so there is one
// schedule); checksums only where the API requires them (streamed bodies to non-AWS servers fail with
// the SDK's aws-chunked default); bodies go up in buffered parts with Content-MD5, one part per upload
// slot in memory. Ceph RGW 16 returns an empty ETag from CompleteMultipartUpload: the object is checked
// with a HEAD instead.
import { createHash } from 'node:crypto'
import { PassThrough } from 'node:stream'
import type { Readable } from 'node:stream'
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import type {
  CreateMultipartUploadCommandOutput,
  DeleteObjectsCommandOutput,
  GetObjectCommandOutput,
  HeadObjectCommandOutput,
  ListObjectsV2CommandOutput,
  S3ClientConfig,
  UploadPartCommandOutput,
} from '@aws-sdk/client-s3'
import { bodyChunks, PartReader } from './body.js'
import { StorageIntegrityError, StorageRequestError, StorageUsageError } from './errors.js'
import { checkKey, checkPrefix, RESERVED_PREFIX } from './object-key.js'
import { MIB, partSize } from './part-size.js'
import { withRetry } from './retry.js'
import { resolveS3Config } from './s3-config.js'
import type { ResolvedS3Config, S3StorageOptions } from './s3-config.js'
import { withCreateClaim } from './s3-create-only.js'
import type { ClaimOps } from './s3-create-only.js'
import { AttemptTimeout, httpStatus, isNotFound, isRetryableS3Error, storageErrorOf } from './s3-errors.js'
import { uploadMultipart } from './s3-multipart.js'
import type { CompletedPart, MultipartOps } from './s3-multipart.js'
import type { GetOptions, ListOptions, ObjectInfo, PutOptions, PutResult, Storage, StorageBody } from './storage.js'

const DELETE_BATCH = 1000
const MAX_PAGE_SIZE = 1000

interface SendOptions {
  readonly signal?: AbortSignal | undefined
  /** Bytes the request uploads: each MiB adds a second to the attempt's deadline. */
  readonly bodyBytes?: number
}

export class S3Storage implements Storage {
  readonly url: string
  readonly bucket: string
  readonly prefix: string
  readonly config: ResolvedS3Config
  readonly #client: S3Client
  /** Set once the server answered 501 to `If-None-Match: *`. */
  #conditionalUnsupported = false

  constructor(bucket: string, prefix: string, options: S3StorageOptions = {}) {
    this.bucket = bucket
    this.prefix = prefix.replace(/\/+$/, '')
    this.url = `s3://${bucket}${this.prefix ? `/${this.prefix}` : ''}`
    this.config = resolveS3Config(options)
    // The pinned SDK supports Node 20; its multi-line "upgrade to Node 22" process warning would land in
    // PostgreSQL's log on every archive_command call.
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true'
    const c = this.config
    const clientConfig: S3ClientConfig = {
      forcePathStyle: c.forcePathStyle,
      maxAttempts: 1,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // socketTimeout: a socket idle that long fails the request, during a download too (requestTimeout only warns).
      requestHandler: { connectionTimeout: c.connectTimeoutMs, socketTimeout: c.idleTimeoutMs },
      ...(c.endpoint !== undefined ? { endpoint: c.endpoint } : {}),
      ...(c.region !== undefined ? { region: c.region } : {}),
      ...(c.credentials !== undefined ? { credentials: c.credentials } : {}),
      ...(c.profile !== undefined ? { profile: c.profile } : {}),
    }
    this.#client = new S3Client(clientConfig)
  }

  async put(key: string, body: StorageBody, options: PutOptions = {}): Promise<PutResult> {
    const full = this.#full(key)
    if (options.size !== undefined && (!Number.isSafeInteger(options.size) || options.size < 0)) {
      throw new StorageUsageError(`${key}: size must be a whole number of bytes, not ${options.size}`)
    }
    const reader = new PartReader(bodyChunks(body))
    try {
      const first = await reader.next(partSize(1, options.size, this.config.partSize))
      const single = await reader.atEnd()
      if (single && options.size !== undefined && first.length !== options.size) {
        throw new StorageIntegrityError(`${key}: the body had ${first.length} bytes, ${options.size} were announced; nothing was stored`)
      }
      const upload = (ifNoneMatch: boolean): Promise<number> =>
        single ? this.#putObject(key, full, first, ifNoneMatch, options.signal) : this.#putMultipart(key, full, reader, first, options, ifNoneMatch)
      let size: number
      if (!options.createOnly) {
        size = await upload(false)
      } else if (single && this.config.createOnly === 'auto' && !this.#conditionalUnsupported) {
        size = await this.#putConditional(key, full, first, options.signal, () =>
          withCreateClaim(this.#claimOps(options.signal), full, key, () => upload(false))
        )
      } else {
        // Multipart: RGW 16 ignores If-None-Match on CompleteMultipartUpload, so claims always; the
        // header is sent as well for servers that honour it (AWS).
        size = await withCreateClaim(this.#claimOps(options.signal), full, key, () =>
          upload(!single && this.config.createOnly === 'auto' && !this.#conditionalUnsupported)
        )
      }
      return { key, size }
    } finally {
      await reader.close()
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    const full = this.#full(key)
    const range = options.range
    if (range && (!Number.isSafeInteger(range.start) || range.start < 0 || (range.end !== undefined && range.end < range.start))) {
      throw new StorageUsageError(`${key}: invalid byte range ${JSON.stringify(range)}`)
    }
    const response = await this.#send<GetObjectCommandOutput>(`get ${this.#describe(key)}`, () =>
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: full,
        ...(range ? { Range: `bytes=${range.start}-${range.end ?? ''}` } : {}),
      }), { signal: options.signal })
    if (!response.Body) {
      throw new StorageRequestError(`get ${this.#describe(key)}: the server sent no body`)
    }
    // Errors while the body streams (a stalled socket, a reset) surface as storage errors too.
    const body = response.Body as Readable
    const out = new PassThrough()
    body.once('error', (error) => out.destroy(storageErrorOf(error, `read ${this.#describe(key)}`, 1)))
    out.once('close', () => {
      if (!body.readableEnded) {
        body.destroy()
      }
    })
    body.pipe(out)
    return out
  }

  async head(key: string, options: { readonly signal?: AbortSignal } = {}): Promise<ObjectInfo | undefined> {
    const full = this.#full(key)
    try {
      const response = await this.#send<HeadObjectCommandOutput>(`head ${this.#describe(key)}`, () => new HeadObjectCommand({ Bucket: this.bucket, Key: full }), {
        signal: options.signal,
        notFoundIsAnswer: true,
      })
      return { key, size: response.ContentLength ?? 0, lastModified: response.LastModified ?? new Date(0) }
    } catch (error) {
      if (error instanceof NotFoundAnswer) {
        return undefined
      }
      throw error
    }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    checkPrefix(prefix)
    const base = this.prefix ? `${this.prefix}/` : ''
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(options.pageSize ?? MAX_PAGE_SIZE)))
    const startAfter = options.startAfter === undefined ? undefined : `${base}${options.startAfter}`
    for await (const item of this.#listRaw(`${base}${prefix}`, pageSize, startAfter, options.signal)) {
      const key = item.key.slice(base.length)
      const last = key.slice(key.lastIndexOf('/') + 1)
      if (!last.startsWith(RESERVED_PREFIX)) {
        yield { key, size: item.size, lastModified: item.lastModified }
      }
    }
  }

  async delete(keys: readonly string[], options: { readonly signal?: AbortSignal } = {}): Promise<void> {
    const full = keys.map((key) => this.#full(key))
    for (let start = 0; start < full.length; start += DELETE_BATCH) {
      const batch = full.slice(start, start + DELETE_BATCH)
      const response = await this.#send<DeleteObjectsCommandOutput>(`delete ${batch.length} keys under ${this.url}`, () =>
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }), {
        signal: options.signal,
      })
      const errors = (response.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey')
      if (errors.length > 0) {
        const e = errors[0]
        throw new StorageRequestError(`delete under ${this.url}: ${errors.length} key(s) not deleted, first ${e?.Key}: ${e?.Code} ${e?.Message ?? ''}`)
      }
    }
  }

  async close(): Promise<void> {
    this.#client.destroy()
  }

  async *#listRaw(prefix: string, pageSize: number, startAfter: string | undefined, signal: AbortSignal | undefined): AsyncGenerator<ObjectInfo> {
    let token: string | undefined
    do {
      const page = await this.#send<ListObjectsV2CommandOutput>(`list ${this.url} (prefix ${JSON.stringify(prefix)})`, () =>
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          MaxKeys: pageSize,
          ...(token !== undefined ? { ContinuationToken: token } : startAfter !== undefined ? { StartAfter: startAfter } : {}),
        }), { signal })
      for (const item of page.Contents ?? []) {
        if (item.Key !== undefined) {
          yield { key: item.Key, size: item.Size ?? 0, lastModified: item.LastModified ?? new Date(0) }
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token !== undefined)
  }

  async #putObject(key: string, full: string, body: Buffer, ifNoneMatch: boolean, signal: AbortSignal | undefined): Promise<number> {
    const md5 = createHash('md5').update(body).digest('base64')
    await this.#send(`put ${this.#describe(key)}`, () =>
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: full,
        Body: body,
        ContentLength: body.length,
        ContentMD5: md5,
        ...(ifNoneMatch ? { IfNoneMatch: '*' } : {}),
      }), { signal, bodyBytes: body.length })
    return body.length
  }

  /** A single create-only PUT with If-None-Match: *; on 501 (no conditional writes) remembers it and takes the fallback. */
  async #putConditional(key: string, full: string, body: Buffer, signal: AbortSignal | undefined, fallback: () => Promise<number>): Promise<number> {
    try {
      return await this.#putObject(key, full, body, true, signal)
    } catch (error) {
      const cause = (error as Error).cause
      if (httpStatus(cause) === 501 || (cause as Error | undefined)?.name === 'NotImplemented') {
        this.#conditionalUnsupported = true
        return fallback()
      }
      throw error
    }
  }

  async #putMultipart(key: string, full: string, reader: PartReader, first: Buffer, options: PutOptions, ifNoneMatch: boolean): Promise<number> {
    const signal = options.signal
    const what = this.#describe(key)
    const ops: MultipartOps = {
      create: async () => {
        const r = await this.#send<CreateMultipartUploadCommandOutput>(`start multipart upload of ${what}`, () => new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: full }), { signal })
        if (!r.UploadId) {
          throw new StorageRequestError(`start multipart upload of ${what}: no UploadId in the answer`)
        }
        return r.UploadId
      },
      uploadPart: async (uploadId, partNumber, body) => {
        const md5 = createHash('md5').update(body).digest('base64')
        const r = await this.#send<UploadPartCommandOutput>(`upload part ${partNumber} of ${what}`, () =>
          new UploadPartCommand({ Bucket: this.bucket, Key: full, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: body.length, ContentMD5: md5 }),
        { signal, bodyBytes: body.length })
        if (!r.ETag) {
          throw new StorageRequestError(`upload part ${partNumber} of ${what}: no ETag in the answer`)
        }
        return r.ETag
      },
      complete: async (uploadId, parts: readonly CompletedPart[]) => {
        const complete = (conditional: boolean): Promise<unknown> =>
          this.#send(`complete multipart upload of ${what}`, () =>
            new CompleteMultipartUploadCommand({
              Bucket: this.bucket,
              Key: full,
              UploadId: uploadId,
              MultipartUpload: { Parts: [...parts] },
              ...(conditional ? { IfNoneMatch: '*' } : {}),
            }), { signal })
        try {
          await complete(ifNoneMatch)
        } catch (error) {
          if (ifNoneMatch && httpStatus((error as Error).cause) === 501) {
            this.#conditionalUnsupported = true
            await complete(false)
          } else {
            throw error
          }
        }
      },
      // Not under the caller's signal: an aborted put must still abort its upload.
      abort: async (uploadId) => {
        await this.#send(`abort multipart upload of ${what}`, () => new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: full, UploadId: uploadId }), {})
      },
    }
    const size = await uploadMultipart(ops, reader, first, {
      key,
      size: options.size,
      basePartSize: this.config.partSize,
      parallelParts: this.config.parallelParts,
    })
    // The ETag of CompleteMultipartUpload may be empty (Ceph RGW 16): HEAD is the check that the object is whole.
    const stored = await this.head(key, signal ? { signal } : {})
    if (stored?.size !== size) {
      await this.delete([key]).catch(() => undefined)
      throw new StorageIntegrityError(`${what}: the completed multipart object has ${stored?.size ?? 'no'} bytes, ${size} were uploaded; it was removed`)
    }
    return size
  }

  #claimOps(signal: AbortSignal | undefined): ClaimOps {
    return {
      exists: async (fullKey) => {
        try {
          await this.#send(`head s3://${this.bucket}/${fullKey}`, () => new HeadObjectCommand({ Bucket: this.bucket, Key: fullKey }), {
            signal,
            notFoundIsAnswer: true,
          })
          return true
        } catch (error) {
          if (error instanceof NotFoundAnswer) {
            return false
          }
          throw error
        }
      },
      putMarker: async (fullKey) => {
        await this.#send(`put claim s3://${this.bucket}/${fullKey}`, () =>
          new PutObjectCommand({ Bucket: this.bucket, Key: fullKey, Body: Buffer.alloc(0), ContentLength: 0 }), { signal })
      },
      list: async (prefix) => {
        const found: { key: string; lastModified: Date }[] = []
        for await (const item of this.#listRaw(prefix, MAX_PAGE_SIZE, undefined, signal)) {
          found.push({ key: item.key, lastModified: item.lastModified })
        }
        return found
      },
      // Not under the caller's signal: a claim must go even when the put was aborted.
      remove: async (fullKey) => {
        await this.#send(`remove claim s3://${this.bucket}/${fullKey}`, () =>
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: [{ Key: fullKey }], Quiet: true } }), {})
      },
    }
  }

  /** Sends a command with a per-attempt deadline and retries; failures become storage errors. */
  async #send<Output>(
    what: string,
    make: () => object,
    options: SendOptions & { readonly notFoundIsAnswer?: boolean }
  ): Promise<Output> {
    const signal = options.signal
    const timeoutMs = this.config.requestTimeoutMs + Math.ceil((options.bodyBytes ?? 0) / MIB) * 1000
    let attempts = 0
    try {
      return await withRetry(
        async () => {
          attempts++
          signal?.throwIfAborted()
          const controller = new AbortController()
          const timer = setTimeout(() => controller.abort(new AttemptTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs)
          const onAbort = (): void => controller.abort(signal?.reason)
          signal?.addEventListener('abort', onAbort, { once: true })
          try {
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            return (await this.#client.send(make() as any, { abortSignal: controller.signal })) as Output
          } catch (error) {
            const reason: unknown = controller.signal.reason
            if (controller.signal.aborted && reason instanceof AttemptTimeout && !signal?.aborted) {
              throw new AttemptTimeout(reason.message, { cause: error })
            }
            throw error
          } finally {
            clearTimeout(timer)
            signal?.removeEventListener('abort', onAbort)
          }
        },
        this.config.retry,
        { isRetryable: isRetryableS3Error, ...(signal ? { signal } : {}) }
      )
    } catch (error) {
      if (signal?.aborted) {
        throw signal.reason
      }
      if (options.notFoundIsAnswer && isNotFound(error)) {
        throw new NotFoundAnswer()
      }
      throw storageErrorOf(error, what, attempts)
    }
  }

  #full(key: string): string {
    checkKey(key)
    return this.prefix ? `${this.prefix}/${key}` : key
  }

  #describe(key: string): string {
    return `${this.url}/${key}`
  }
}

/** A 404 that is an answer (head of a missing key), not a failure. */
class NotFoundAnswer extends Error {}
