export {
  ConfigFileError,
  ConfigWriteError,
  DataDirectoryError,
  RecoveryKeyUnsupportedError,
  RecoveryLsnError,
  RecoveryNameError,
  RecoveryTargetConflictError,
  RecoveryTimeError,
  RecoveryTimelineError,
  RecoveryValueError,
  RecoveryXidError,
  RestoreCommandMissingError,
  ServerRunningError,
  ServerVersionUnsupportedError,
  StandbySignalPresentError,
} from './errors.js'
export { assertSupportedServer, describeServer, MAX_POSTGRES_MAJOR, MIN_POSTGRES_MAJOR } from './server-kind.js'
export type { ServerFlavor, ServerKind } from './server-kind.js'
export { TARGET_ACTIONS } from './recovery-settings.js'
export type {
  RecoverySettings,
  RecoveryTarget,
  RecoveryTargetKind,
  StandbySettings,
  TargetAction,
  TargetTimeline,
} from './recovery-settings.js'
export { normalizeLsn } from './lsn.js'
export { parseRecoveryTime } from './recovery-time.js'
export type { RecoveryTime } from './recovery-time.js'
export {
  checkTargetName,
  checkTargetXid,
  MAX_TARGET_NAME_BYTES,
  parseBooleanSetting,
  parseTargetAction,
  parseTargetTimeline,
} from './target-values.js'
export { checkRecoveryCommand, COMMAND_ESCAPES } from './recovery-command.js'
export type { RecoveryCommandKey } from './recovery-command.js'
export { commandLine, commandWord, shellQuote } from './shell-quote.js'
export type { CommandEscape } from './shell-quote.js'
export { resolveRecoverySettings } from './resolve-settings.js'
export type { RecoveryInput, ResolvedRecovery, ResolveOptions } from './resolve-settings.js'
export { quoteGucValue, unquoteGucValue } from './guc-quote.js'
export { effectiveSettings, parseConf } from './conf-parser.js'
export type { ConfEntry } from './conf-parser.js'
export { beginMarker, endMarker, findManagedBlock, replaceManagedBlock } from './managed-block.js'
export type { ManagedBlock, ManagedBlockId } from './managed-block.js'
export {
  AUTO_CONF_HEADER,
  portLines,
  POSTGRES_RECOVERY_DEFAULTS,
  POSTGRES_RECOVERY_KEYS,
  POSTGRES_STANDBY_KEYS,
  POSTGRES_TARGET_KEYS,
  postgresRecoveryEntries,
  postgresRecoveryLines,
  postgresStandbyLines,
} from './render-postgres.js'
export { OPENGAUSS_RECOVERY_KEYS, renderOpenGaussRecoveryConf, renderOpenGaussStandbyConf } from './render-opengauss.js'
export { readOpenGaussRecovery, readPostgresRecovery } from './read-recovery.js'
export type { ReadRecovery } from './read-recovery.js'
export {
  AUTO_CONF,
  checkPort,
  planRecoveryFiles,
  planStandbyFiles,
  POSTGRESQL_CONF,
  RECOVERY_CONF,
  RECOVERY_SIGNAL,
  STANDBY_SIGNAL,
} from './recovery-files.js'
export type { ExistingFiles, FileWrite, PlanOptions } from './recovery-files.js'
export { syncDirectory, writeFileDurably } from './durable-write.js'
export {
  assertServerStopped,
  detectServer,
  livePostmasterPid,
  OPENGAUSS_MARKERS,
  readExistingFiles,
  readServerTimeZone,
} from './data-dir.js'
export type { ServerTimeZone } from './data-dir.js'
export { writeRecoveryConfig, writeStandbyConfig } from './write-recovery-config.js'
export { clearRecoveryConfig } from './clear-recovery-config.js'
export { conninfoString, conninfoValue } from './conninfo.js'
export type { WriteConfigOptions, WrittenFile } from './write-recovery-config.js'
