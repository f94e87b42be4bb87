export {
  startCluster,
  startExistingCluster,
  withCluster,
  stopAllClusters,
  copyAsServer,
} from './cluster.js'
export type { AuthMethod, Cluster, ClusterOptions, ExistingClusterOptions, TablespaceInfo } from './cluster.js'
export { createSampleTable, tableDigest, switchWal } from './data.js'
export { debianTool, missingToolMessage, DEBIAN_MAJOR } from './debian-tools.js'
export type { DebianTool } from './debian-tools.js'
export { freePort } from './free-port.js'
export { serverOsUser, SERVER_OS_USER } from './os-user.js'
export type { OsUser } from './os-user.js'
export { SUPPORTED_MAJORS, embeddedBinDir, debianBinDir } from './pg-binaries.js'
export type { PgMajor } from './pg-binaries.js'
export { isProcessAlive, runDir, scratchDir, sweepRunDir, livePostmasterPid, killPostmaster, createRunDir } from './run-dir.js'
export { runAs, runAsOrThrow, chownTree } from './server-process.js'
export type { CommandResult } from './server-process.js'
export { makeTlsFiles } from './tls.js'
export type { TlsFiles } from './tls.js'
export { testMajors, VERSIONS_ENV } from './versions.js'
export { startOpenGaussSimulator } from './opengauss/simulator.js'
export type { OpenGaussSimulator } from './opengauss/simulator.js'
export type {
  OpenGaussAuthMethod,
  OpenGaussBackupOptions,
  OpenGaussFaults,
  OpenGaussFlavor,
  OpenGaussSimulatorOptions,
} from './opengauss/options.js'
export type { ReceivedCommand, ReceivedStartup } from './opengauss/simulator-state.js'
export { sampleDataDirectory, samplePages, tablespaceVersionDirectory } from './opengauss/data-directory.js'
export type {
  SampleDataDirectoryOptions,
  SimDataDirectory,
  SimDirectory,
  SimEntry,
  SimFile,
  SimTablespace,
} from './opengauss/data-directory.js'
export { baseTarEntries, tablespaceTarEntries, tablespaceMapText } from './opengauss/backup-content.js'
export { backupLabelText, fullBuildNoticeText } from './opengauss/base-backup-reply.js'
export type { BackupLsns, NoticeStyle } from './opengauss/base-backup-reply.js'
export {
  GS_TAR_BLOCK_SIZE,
  GS_TAR_HEADER_SIZE,
  GS_TAR_INJECTED_FILE_MODE,
  GS_TAR_MAX_FILE_SIZE,
  GS_TAR_NAME_MAX,
  GsTarOffset,
  GsTarType,
  buildGsTarArchive,
  decodeGsTarHeader,
  defaultGsTarMode,
  encodeGsTarEntry,
  encodeGsTarHeader,
  gsTarEntryFrames,
  gsTarPadding,
} from './opengauss/gs-tar.js'
export type { GsTarEntry, GsTarEntryKind, GsTarHeader } from './opengauss/gs-tar.js'
export {
  KeepaliveOffset,
  OG_KEEPALIVE_SIZE,
  OG_STANDBY_REPLY_SIZE,
  OG_XLOGDATA_HEADER_SIZE,
  StandbyReplyOffset,
  WalDataOffset,
  decodeKeepalive,
  decodeStandbyReply,
  decodeXLogData,
  encodeKeepalive,
  encodeStandbyReply,
  encodeXLogData,
  pgTimestampNow,
} from './opengauss/wal-messages.js'
export type { Keepalive, StandbyReply, WalDataHeader } from './opengauss/wal-messages.js'
export {
  deriveSha256Secret,
  md5Sha256Response,
  sha256ClientProof,
  sha256ServerSignature,
  sha256StoredString,
  verifySha256Proof,
} from './opengauss/auth.js'
export type { Sha256Secret } from './opengauss/auth.js'
export {
  OG_AUTH_FAILED_MESSAGE,
  OG_AUTH_FAILED_SQLSTATE,
  OG_DEFAULT_ITERATIONS,
  OG_PROTOCOL_3_0,
  OG_PROTOCOL_3_50,
  OG_PROTOCOL_3_51,
  OG_PROTOCOL_GAUSS_BASE,
  OG_REPLICATION_PROTOCOL_NAME,
  OG_SERVER_VERSION,
  OG_SERVER_VERSION_NUM,
  OG_TAR_SEND_SIZE,
  OG_WAL_SEGMENT_SIZE,
  OG_XLOG_PAGE_MAGIC,
  OgAuthCode,
  OgDbState,
  OgServerMode,
  OgStoredMethod,
  protocolVersion,
} from './opengauss/constants.js'
export { startS3Server } from './s3/ceph-s3-server.js'
export type { S3Server, S3ServerOptions } from './s3/ceph-s3-server.js'
export { s3ServerAvailable, s3ServerAvailableOrWarn, s3ServerUnavailableMessage, CEPH_PACKAGES } from './s3/ceph-install.js'
export { sweepS3Servers } from './s3/ceph-sweep.js'
