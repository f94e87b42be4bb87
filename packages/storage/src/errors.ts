// Errors of @tidemark/storage. Every class has a stable `code` (listed in docs/errors.md) and the exit
// status the commands use for it: 1 not found, 2 usage, 3 refused (nothing changed), 4 failed.

/** A bad storage URL, key or option (the message names it). */
export class StorageUsageError extends Error {
  readonly code: string = 'TIDEMARK_ERR_STORAGE_USAGE'
  readonly exitCode: number = 2
}

/** The storage does not hold the asked key (or the bucket does not exist). */
export class StorageNotFoundError extends Error {
  readonly code: string = 'TIDEMARK_ERR_STORAGE_NOT_FOUND'
  readonly exitCode: number = 1
}

/** A create-only put found the key already there; the stored object is untouched. */
export class StorageExistsError extends Error {
  readonly code: string = 'TIDEMARK_ERR_STORAGE_EXISTS'
  readonly exitCode: number = 3
}

/** A request did not finish within its deadline, retries included. */
export class StorageTimeoutError extends Error {
  readonly code: string = 'TIDEMARK_ERR_STORAGE_TIMEOUT'
  readonly exitCode: number = 4
}

/** The object store refused or failed a request (after the retries, for a retryable failure). */
export class StorageRequestError extends Error {
  readonly code: string = 'TIDEMARK_ERR_STORAGE_REQUEST'
  readonly exitCode: number = 4
}

/** What was stored or read does not match what was expected (size, a multipart object's parts). */
export class StorageIntegrityError extends Error {
  readonly code: string = 'TIDEMARK_ERR_STORAGE_INTEGRITY'
  readonly exitCode: number = 4
}

/** A local I/O failure of the directory driver (disk full, permissions); temporary files are removed. */
export class StorageIoError extends Error {
  readonly code: string = 'TIDEMARK_ERR_STORAGE_IO'
  readonly exitCode: number = 4
}
