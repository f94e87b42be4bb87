export { connect, Connection, OPENGAUSS_PROTOCOL_MINOR } from './connection.js'
export type { ConnectOptions, ServerNotice } from './connection.js'
export { resolveParameters, isSocketDirectory } from './connect-options.js'
export type {
  ChannelBindingMode,
  ConnectionParameters,
  FlavorChoice,
  HostTarget,
  ResolvedParameters,
  SslMode,
} from './connect-options.js'
export { parseConnInfo, CONNINFO_KEYWORDS } from './conninfo.js'
export type { ConnInfo } from './conninfo.js'
export { lookupPassFile, parsePassFileLine } from './pgpass.js'
export type { PassFileQuery } from './pgpass.js'
export { parseLsn, formatLsn } from './lsn.js'
export type { Lsn } from './lsn.js'
export { columnValue } from './query-result.js'
export type { QueryResult } from './query-result.js'
export { MIN_POSTGRESQL_MAJOR } from './server-info.js'
export type { ServerInfo } from './server-info.js'
export type { ServerFlavor } from './auth/authenticate.js'
export type { FieldDescription } from './backend-message.js'
export {
  AuthenticationError,
  AuthProtocolError,
  ChannelBindingError,
  ConnectError,
  ConnectionLostError,
  ConnectionStateError,
  ConnInfoError,
  PasswordRequiredError,
  ProtocolError,
  ServerError,
  StalledError,
  TlsError,
  UnsupportedAuthError,
  UnsupportedFeatureError,
  UnsupportedServerError,
} from './errors.js'
export type { ServerMessageFields } from './errors.js'
export { WalStream } from './replication/wal-stream.js'
export type { StartReplicationOptions, WalEvent } from './replication/wal-stream.js'
export type { BaseBackupEvent, TablespaceEntry } from './replication/base-backup.js'
export type { ArchiveSink } from './replication/copy-reader.js'
export type {
  BaseBackupOptions,
  ManifestChecksums,
  ServerCompressionMethod,
} from './replication/base-backup-command.js'
export type {
  CreatedSlot,
  CreateSlotOptions,
  ReplicationSlotInfo,
  ServerVersionInfo,
  SystemIdentity,
  TimelineHistory,
} from './replication/commands.js'
export { replicationNow } from './replication/xlog-message.js'
