// Errors of tidemark-agent itself. The libraries' errors (@tidemark/wal, @tidemark/backup) keep their
// own codes; http-status.ts maps any of them to an HTTP status.

/** A bad option, config file or environment value (the message names it). */
export class AgentUsageError extends Error {
  readonly code: string = 'TIDEMARK_ERR_AGENT_USAGE'
  readonly exitCode: number = 2
}

/** The config file cannot be read or is not the expected JSON. */
export class AgentConfigError extends Error {
  readonly code: string = 'TIDEMARK_ERR_AGENT_CONFIG'
  readonly exitCode: number = 2
}

/** A non-loopback address without TLS (and without --insecure-http). */
export class AgentInsecureListenError extends Error {
  readonly code: string = 'TIDEMARK_ERR_AGENT_INSECURE_LISTEN'
  readonly exitCode: number = 3
}

/** The token file is missing, empty, or readable by group or others. */
export class AgentTokenFileError extends Error {
  readonly code: string = 'TIDEMARK_ERR_AGENT_TOKEN_FILE'
  readonly exitCode: number = 3
}

/** The TLS certificate or key cannot be read, or only one of them was given. */
export class AgentTlsError extends Error {
  readonly code: string = 'TIDEMARK_ERR_AGENT_TLS'
  readonly exitCode: number = 2
}

/** The address could not be bound (in use, not local, no permission). */
export class AgentListenError extends Error {
  readonly code: string = 'TIDEMARK_ERR_AGENT_LISTEN'
  readonly exitCode: number = 4
}

/** HTTP: missing or wrong bearer token. */
export class AgentUnauthorizedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_AGENT_UNAUTHORIZED'
  readonly exitCode: number = 3
}

/** HTTP: a request body larger than allowed (a WAL file larger than its segment size). */
export class AgentBodyTooLargeError extends Error {
  readonly code: string = 'TIDEMARK_ERR_AGENT_BODY_TOO_LARGE'
  readonly exitCode: number = 2
}

/** HTTP: a backup or verification is already running (one at a time). */
export class AgentBusyError extends Error {
  readonly code: string = 'TIDEMARK_ERR_AGENT_BUSY'
  readonly exitCode: number = 3
}

/** HTTP: no such job or backup. */
export class AgentNotFoundError extends Error {
  readonly code: string = 'TIDEMARK_ERR_AGENT_NOT_FOUND'
  readonly exitCode: number = 1
}

/** HTTP: the capability is not configured (no --pg) or not in this build (no verify engine). */
export class AgentUnavailableError extends Error {
  readonly code: string = 'TIDEMARK_ERR_AGENT_UNAVAILABLE'
  readonly exitCode: number = 4
}

/** A verify job found problems (missing files, bad checksums, missing WAL); the record says unverified. */
export class AgentVerifyFailedError extends Error {
  readonly code: string = 'TIDEMARK_ERR_AGENT_VERIFY_FAILED'
  readonly exitCode: number = 4
}

/** HTTP: the agent is shutting down; a running job was aborted. */
export class AgentShuttingDownError extends Error {
  readonly code: string = 'TIDEMARK_ERR_AGENT_SHUTTING_DOWN'
  readonly exitCode: number = 4
}

/** Anything that is not a Tidemark error: a bug, reported in one line. */
export class AgentInternalError extends Error {
  readonly code: string = 'TIDEMARK_ERR_AGENT_INTERNAL'
  readonly exitCode: number = 4
}
