// Every error @tidemark/wire throws. Codes are listed in docs/errors.md (checked by errors.test.ts).
// No message ever contains a password, a SCRAM proof or any other secret.

/** The fields of a PostgreSQL ErrorResponse / NoticeResponse, by their long names. */
export interface ServerMessageFields {
  readonly severity: string | undefined
  readonly code: string | undefined
  readonly message: string
  readonly detail: string | undefined
  readonly hint: string | undefined
  readonly position: string | undefined
  readonly internalPosition: string | undefined
  readonly internalQuery: string | undefined
  readonly where: string | undefined
  readonly schema: string | undefined
  readonly table: string | undefined
  readonly column: string | undefined
  readonly dataType: string | undefined
  readonly constraint: string | undefined
  readonly file: string | undefined
  readonly line: string | undefined
  readonly routine: string | undefined
}

/** A bad connection string, URI or connection option. */
export class ConnInfoError extends Error {
  readonly code = 'TIDEMARK_ERR_WIRE_CONNINFO'
  readonly exitCode = 2
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ConnInfoError'
  }
}

/** The TCP connection or Unix socket could not be opened, or the connect timeout passed. */
export class ConnectError extends Error {
  readonly code = 'TIDEMARK_ERR_WIRE_CONNECT'
  readonly exitCode = 4
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ConnectError'
  }
}

/** TLS could not be negotiated or the server certificate did not verify. */
export class TlsError extends Error {
  readonly code = 'TIDEMARK_ERR_WIRE_TLS'
  readonly exitCode = 4
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'TlsError'
  }
}

/** The server asked for a password and none was given (no PGPASSWORD, .pgpass entry or prompt). */
export class PasswordRequiredError extends Error {
  readonly code = 'TIDEMARK_ERR_WIRE_PASSWORD_REQUIRED'
  readonly exitCode = 2
  constructor(user: string) {
    super(`the server asked for a password for user "${user}" and none was supplied (set PGPASSWORD, a .pgpass entry, or prompt with -W)`)
    this.name = 'PasswordRequiredError'
  }
}

/** The server rejected the login: wrong password, no pg_hba.conf entry, unknown role. Carries the SQLSTATE. */
export class AuthenticationError extends Error {
  readonly code = 'TIDEMARK_ERR_WIRE_AUTH'
  readonly exitCode = 4
  readonly sqlState: string | undefined
  constructor(message: string, sqlState: string | undefined, options?: ErrorOptions) {
    super(sqlState ? `${message} (SQLSTATE ${sqlState})` : message, options)
    this.name = 'AuthenticationError'
    this.sqlState = sqlState
  }
}

/** The server wants an authentication method this client does not implement (GSSAPI, SSPI, SM3…). */
export class UnsupportedAuthError extends Error {
  readonly code = 'TIDEMARK_ERR_WIRE_AUTH_UNSUPPORTED'
  readonly exitCode = 3
  constructor(message: string) {
    super(message)
    this.name = 'UnsupportedAuthError'
  }
}

/** The server's side of a SCRAM or openGauss sha256 exchange did not check out (it may not know the password). */
export class AuthProtocolError extends Error {
  readonly code = 'TIDEMARK_ERR_WIRE_AUTH_PROTOCOL'
  readonly exitCode = 4
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'AuthProtocolError'
  }
}

/** channel_binding=require could not be honoured (no TLS, or the server offers no SCRAM-SHA-256-PLUS). */
export class ChannelBindingError extends Error {
  readonly code = 'TIDEMARK_ERR_WIRE_CHANNEL_BINDING'
  readonly exitCode = 3
  constructor(message: string) {
    super(message)
    this.name = 'ChannelBindingError'
  }
}

/** A server this client refuses: PostgreSQL older than 13, or a version it cannot recognise. */
export class UnsupportedServerError extends Error {
  readonly code = 'TIDEMARK_ERR_WIRE_UNSUPPORTED_SERVER'
  readonly exitCode = 3
  constructor(message: string) {
    super(message)
    this.name = 'UnsupportedServerError'
  }
}

/** An option or command the connected server's dialect does not have (e.g. COMPRESSION on PostgreSQL 14). */
export class UnsupportedFeatureError extends Error {
  readonly code = 'TIDEMARK_ERR_WIRE_UNSUPPORTED_FEATURE'
  readonly exitCode = 2
  constructor(message: string) {
    super(message)
    this.name = 'UnsupportedFeatureError'
  }
}

/** An ErrorResponse from the server, with every field it sent. */
export class ServerError extends Error implements ServerMessageFields {
  readonly code = 'TIDEMARK_ERR_WIRE_SERVER'
  readonly exitCode = 4
  readonly sqlState: string | undefined
  readonly severity: string | undefined
  readonly detail: string | undefined
  readonly hint: string | undefined
  readonly position: string | undefined
  readonly internalPosition: string | undefined
  readonly internalQuery: string | undefined
  readonly where: string | undefined
  readonly schema: string | undefined
  readonly table: string | undefined
  readonly column: string | undefined
  readonly dataType: string | undefined
  readonly constraint: string | undefined
  readonly file: string | undefined
  readonly line: string | undefined
  readonly routine: string | undefined
  /** The server's own message text, without the SQLSTATE suffix. */
  readonly serverMessage: string

  constructor(fields: ServerMessageFields) {
    super(`server error: ${fields.message}${fields.code ? ` (SQLSTATE ${fields.code})` : ''}`)
    this.name = 'ServerError'
    this.serverMessage = fields.message
    this.sqlState = fields.code
    this.severity = fields.severity
    this.detail = fields.detail
    this.hint = fields.hint
    this.position = fields.position
    this.internalPosition = fields.internalPosition
    this.internalQuery = fields.internalQuery
    this.where = fields.where
    this.schema = fields.schema
    this.table = fields.table
    this.column = fields.column
    this.dataType = fields.dataType
    this.constraint = fields.constraint
    this.file = fields.file
    this.line = fields.line
    this.routine = fields.routine
  }
}

/** The server sent bytes that break the protocol: a bad frame, an unexpected message, a malformed sub-message. */
export class ProtocolError extends Error {
  readonly code = 'TIDEMARK_ERR_WIRE_PROTOCOL'
  readonly exitCode = 4
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ProtocolError'
  }
}

/** The connection ended while a command or a stream was still running: the data received is incomplete. */
export class ConnectionLostError extends Error {
  readonly code = 'TIDEMARK_ERR_WIRE_CONNECTION_LOST'
  readonly exitCode = 4
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ConnectionLostError'
  }
}

/** The server said nothing for longer than the status interval plus the allowed bound. */
export class StalledError extends Error {
  readonly code = 'TIDEMARK_ERR_WIRE_STALLED'
  readonly exitCode = 4
  constructor(silentMs: number) {
    super(`the server sent nothing for ${Math.round(silentMs / 1000)} s; the connection is considered dead`)
    this.name = 'StalledError'
  }
}

/** The connection was used wrongly: a second command while one runs, a closed connection, an unconsumed archive. */
export class ConnectionStateError extends Error {
  readonly code = 'TIDEMARK_ERR_WIRE_STATE'
  readonly exitCode = 4
  constructor(message: string) {
    super(message)
    this.name = 'ConnectionStateError'
  }
}
