// Constants of openGauss's wire and on-disk formats, as the reference
// (shared/reference/opengauss-protocol.md) and openGauss-server's headers define them.

/** `PG_PROTOCOL(m, n)`: major in the high 16 bits, minor in the low 16. */
export function protocolVersion(major: number, minor: number): number {
  return major * 0x10000 + minor
}

/** openGauss libpq's `PG_PROTOCOL_LATEST`: 3.51 (int32 196659). */
export const OG_PROTOCOL_3_51: number = protocolVersion(3, 51)
/** 3.50: neither the server signature nor the iteration count is sent with code 10. */
export const OG_PROTOCOL_3_50: number = protocolVersion(3, 50)
/** A stock PostgreSQL client's 3.0. */
export const OG_PROTOCOL_3_0: number = protocolVersion(3, 0)
/** `PG_PROTOCOL_GAUSS_BASE`: minors below it are "old/PG clients", above it get an iteration count. */
export const OG_PROTOCOL_GAUSS_BASE = 50
/** The versions the postmaster accepts (`protoVersionList`); 2.0 is in the list but the simulator refuses it. */
export const OG_ACCEPTED_MINORS_OF_3: readonly number[] = [0, 50, 51]

/** Startup-packet request codes (`pqcomm.h`). */
export const SSL_REQUEST_CODE: number = protocolVersion(1234, 5679)
export const CANCEL_REQUEST_CODE: number = protocolVersion(1234, 5678)
export const GSSENC_REQUEST_CODE: number = protocolVersion(1234, 5680)

/** Authentication request codes; 10–12 collide with PostgreSQL's SASL codes. */
export const OgAuthCode = {
  ok: 0,
  md5: 5,
  sha256: 10,
  md5Sha256: 11,
  sha256Rfc: 12,
  sm3: 13,
} as const

/** `password_stored_method` values sent after auth code 10. */
export const OgStoredMethod = { plain: 0, md5: 1, sha256: 2 } as const

/** `ITERATION_COUNT` in `sha2.h`: the default PBKDF2 iteration count. */
export const OG_DEFAULT_ITERATIONS = 10000
/** `SALT_LENGTH`: 32 bytes, sent as 64 lowercase hex characters. */
export const OG_SALT_BYTES = 32
/** `TOKEN_LENGTH`: 4 bytes, sent as 8 lowercase hex characters. */
export const OG_TOKEN_BYTES = 4
/** The key-derivation label, misspelt as in `sha2.cpp`. */
export const OG_SERVER_KEY_LABEL = 'Sever Key'
export const OG_CLIENT_KEY_LABEL = 'Client Key'

/** The message of a failed password authentication (`auth_failed`, `auth.cpp`) and its SQLSTATE. */
export const OG_AUTH_FAILED_MESSAGE = 'Invalid username/password,login denied.'
export const OG_AUTH_FAILED_SQLSTATE = '28P01'

/** What openGauss reports as `server_version` (`PG_VERSION`), and `PG_VERSION_NUM`. */
export const OG_SERVER_VERSION = '9.2.4'
export const OG_SERVER_VERSION_NUM = 90204
/** `PG_PROTOCOL_VERSION` in `replicainternal.h`: the `pversion` column of IDENTIFY_VERSION. */
export const OG_REPLICATION_PROTOCOL_NAME = 'MPPDB'

/** `ServerMode` (`replicainternal.h`). */
export const OgServerMode = {
  unknown: 0,
  normal: 1,
  primary: 2,
  standby: 3,
  cascadeStandby: 4,
  pending: 5,
  recovery: 6,
  standbyCluster: 7,
  mainStandby: 8,
} as const

/** `DbState` (`replicainternal.h`). */
export const OgDbState = {
  unknown: 0,
  normal: 1,
  needRepair: 2,
  starting: 3,
  waiting: 4,
  demoting: 5,
  promoting: 6,
  building: 7,
  catchup: 8,
  coredump: 9,
} as const

/** Type OIDs used in the row descriptions the walsender sends. */
export const PgTypeOid = { oid: 26, int4: 23, int8: 20, text: 25, bool: 16 } as const

/** WAL geometry: 16 MB segments of 8 kB pages. */
export const OG_WAL_SEGMENT_SIZE: number = 16 * 1024 * 1024
export const OG_WAL_PAGE_SIZE = 8192
/** `XLOG_PAGE_MAGIC` in `xlog_basic.h`. */
export const OG_XLOG_PAGE_MAGIC = 0xd074
/** `XLP_LONG_HEADER`: the first page of a segment carries the long header. */
export const OG_XLP_LONG_HEADER = 0x0002
/** `MAX_SEND_SIZE` (`XLOG_BLCKSZ * 16`): the largest WAL payload of one XLogData message. */
export const OG_MAX_WAL_SEND_SIZE: number = OG_WAL_PAGE_SIZE * 16

/** `TAR_SEND_SIZE`: file data goes out in CopyData messages of at most 32 kB. */
export const OG_TAR_SEND_SIZE: number = 32 * 1024
/** Microseconds between the Unix epoch and 2000-01-01, the epoch of `TimestampTz`. */
export const PG_EPOCH_OFFSET_MICROS = 946_684_800_000_000n
