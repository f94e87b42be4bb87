export { buildApp, INCOMING_DIR, LOG_REDACT } from './app.js'
export type { AppOptions } from './app.js'
export type { AgentContext } from './context.js'
export { createProgram } from './program.js'
export type { ProgramIo } from './program.js'
export { run } from './run.js'
export type { RunIo } from './run.js'
export { resolveConfig, parseConfigFile, settingsFromEnv, readConfigFile, DEFAULT_CONFIG_FILE, CONFIG_ENV } from './config/agent-config.js'
export type { AgentConfig, RawSettings } from './config/agent-config.js'
export { readTokenFile } from './config/token-file.js'
export type { BackupRunner, VerifyRunner, AgentBackupRequest, AgentBackupResult, AgentVerifyRequest, JobProgress } from './jobs/runners.js'
export type { JobView, JobState, JobKind } from './jobs/job.js'
export type { PgProbe, ArchiverStatus } from './pg/pg-probe.js'
export { wireProbe } from './pg/wire-probe.js'
export {
  AgentUsageError,
  AgentConfigError,
  AgentInsecureListenError,
  AgentTokenFileError,
  AgentTlsError,
  AgentListenError,
  AgentUnauthorizedError,
  AgentBodyTooLargeError,
  AgentBusyError,
  AgentNotFoundError,
  AgentUnavailableError,
  AgentShuttingDownError,
  AgentVerifyFailedError,
  AgentInternalError,
} from './errors.js'
