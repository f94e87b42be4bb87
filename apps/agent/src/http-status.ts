// Tidemark errors to HTTP statuses, by the exit status every package already gives them:
// 1 not found → 404, 2 usage → 400, 3 refused → 409, 4 failed → 500; a few agent codes are exact.
import type { CodedError } from './coded-error.js'

const EXACT: Readonly<Record<string, number>> = {
  TIDEMARK_ERR_AGENT_UNAUTHORIZED: 401,
  TIDEMARK_ERR_AGENT_BODY_TOO_LARGE: 413,
  TIDEMARK_ERR_AGENT_UNAVAILABLE: 501,
  TIDEMARK_ERR_AGENT_SHUTTING_DOWN: 503,
  TIDEMARK_ERR_WAL_NOT_FOUND: 404,
  TIDEMARK_ERR_WAL_CONFLICT: 409,
  TIDEMARK_ERR_WAL_CONTENT_MISMATCH: 422,
  TIDEMARK_ERR_WAL_SYSTEM_MISMATCH: 409,
  TIDEMARK_ERR_WAL_SEGMENT_SIZE_MISMATCH: 409,
}

const BY_EXIT: Readonly<Record<number, number>> = { 1: 404, 2: 400, 3: 409, 4: 500 }

export function httpStatusOf(error: CodedError): number {
  return EXACT[error.code] ?? BY_EXIT[error.exitCode] ?? 500
}
