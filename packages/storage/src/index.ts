// @tidemark/storage: storage drivers behind one interface — a posix directory and S3-compatible
// object storage — and openStorage, which picks one for a path or an s3:// URL. The S3 driver itself
// is '@tidemark/storage/s3': loaded only when an s3:// location is opened, so the commands that never
// touch S3 do not parse the AWS SDK at every start (tidemark-wal runs once per WAL segment).
export {
  StorageUsageError,
  StorageNotFoundError,
  StorageExistsError,
  StorageTimeoutError,
  StorageRequestError,
  StorageIntegrityError,
  StorageIoError,
} from './errors.js'
export type {
  Storage,
  StorageBody,
  PutOptions,
  PutResult,
  GetOptions,
  ByteRange,
  ObjectInfo,
  ListOptions,
} from './storage.js'
export { checkKey, checkPrefix, RESERVED_PREFIX } from './object-key.js'
export { parseStorageUrl, formatStorageUrl } from './storage-url.js'
export type { StorageLocation } from './storage-url.js'
export { PosixStorage } from './posix-storage.js'
export {
  basePartSize,
  partSize,
  partSizeForObject,
  partSizeForStream,
  streamCapacity,
  MIN_PART_SIZE,
  MAX_PART_SIZE,
  MAX_PARTS,
  MAX_OBJECT_SIZE,
  DEFAULT_PART_SIZE,
} from './part-size.js'
export { backoffDelay, withRetry, DEFAULT_RETRY_POLICY } from './retry.js'
export type { RetryPolicy, RetryHooks } from './retry.js'
export { usePathStyle, PATH_STYLE_ENV } from './path-style.js'
export { resolveS3Config } from './s3-config.js'
export type { S3StorageOptions, S3Credentials, ResolvedS3Config } from './s3-config.js'
export { isRetryableS3Error } from './s3-errors.js'
export { claimPrefix, CLAIM_TTL_MS } from './s3-create-only.js'
export { openStorage } from './open-storage.js'
export type { OpenStorageOptions } from './open-storage.js'
export {
  REPOSITORY_ENV,
  repositoryLocation,
  isS3Location,
  s3OptionsFromFlags,
  openRepositoryStorage,
} from './repository-location.js'
export type { S3Flags } from './repository-location.js'
export {
  TOKEN_ENV,
  TOKEN_FILE_ENV,
  HTTP_TIMEOUT_ENV,
  HTTP_RETRIES_ENV,
  agentToken,
  isHttpLocation,
  httpOptionsFromFlags,
} from './http-config.js'
export type { HttpStorageOptions, HttpFlags } from './http-config.js'
export {
  OBJECTS_PATH,
  DELETE_OBJECTS_PATH,
  MAX_OBJECTS_PAGE,
  LAST_MODIFIED_HEADER,
  OBJECT_SIZE_HEADER,
  objectPath,
  listQuery,
  rangeHeader,
  parseRangeHeader,
  parseObjectsPage,
} from './http-protocol.js'
export type { ObjectsPage } from './http-protocol.js'
