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
